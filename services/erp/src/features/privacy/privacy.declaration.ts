import { platformPersonalTables, type PersonalDataDeclaration, type PersonalTable } from '@tributary/platform/privacy';

/** Every ERP document carries who created it (`owner`) and who last changed it (`modified_by`). */
const DOCUMENT_TABLES = [
  'tabCustomer',
  'tabItem',
  'tabWarehouse',
  'tabHD Customer Segment',
  'tabHD Customer Segment Assignment',
  'tabHD Customer Territory Mapping',
  'tabHD Customer Metrics',
  'tabHD Batch Master',
  'tabHD Batch Movement',
  'tabHD Item Warehouse Optimization',
  'tabHD Dynamic Pricing Rule',
  'tabHD Pricing Rule Item',
  'tabHD Volume Discount Slab',
  'tabHD Pricing Rule Application',
];

/**
 * A customer's contact fields. The encrypted ones hold ciphertext: erasure clears them, a
 * masked copy leaves them empty (a fake value would not decrypt). Add a personal column here
 * and export, erasure and masking all cover it; one the database lacks is skipped.
 */
const CUSTOMER_FIELDS = [
  { name: 'customer_name', erase: 'pseudonymise', mask: 'name' },
  { name: 'email_id', erase: 'null', mask: 'null' },
  { name: 'mobile_no', erase: 'null', mask: 'null' },
  { name: 'primary_address', erase: 'null', mask: 'null' },
  { name: 'tax_id', erase: 'null', mask: 'null' },
] as const;

const CUSTOMER_KEYS = CUSTOMER_FIELDS.map((field) => field.name);

/**
 * Where erp keeps people: the customer record (found by its id; kept, since pricing,
 * segments and the batch ledger refer to it, with its personal fields erased) and the users
 * named as owner or last editor of every document.
 */
export const personalData: PersonalDataDeclaration = {
  service: 'erp',
  tables: [
    ...DOCUMENT_TABLES.map((table): PersonalTable =>
      table === 'tabCustomer'
        ? {
            table,
            owner: { columns: ['name'], erase: 'pseudonymise', fields: CUSTOMER_FIELDS },
            actors: [{ name: 'owner' }, { name: 'modified_by' }],
          }
        : { table, actors: [{ name: 'owner' }, { name: 'modified_by' }] },
    ),
    ...platformPersonalTables(CUSTOMER_KEYS),
    // A customer event carries a copy of the customer record.
    { table: 'outbox', documents: [{ match: 'aggregate_id', name: 'payload', keys: CUSTOMER_KEYS }] },
  ],
};
