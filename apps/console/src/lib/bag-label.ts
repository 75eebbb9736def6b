/** What a bag's label QR reads (reference §7.1): `<material>:<barcode>`. */
export const labelOf = (bag: { table: string; barcode: string }): string => `${bag.table}:${bag.barcode}`;
