import QRCode from 'qrcode';
import { LABEL_WIDTH_DOTS, type LabelField } from '@tributary/contracts/labels';

// The ZPL label itself is shared with the device bridge; this file keeps the previews.
export { LABEL_WIDTH_DOTS, labelFields, labelTime, labelZpl, type LabelBag, type LabelField } from '@tributary/contracts/labels';

const xml = (value: string) =>
  value.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);

/** An SVG preview of the whole label: the same lines and the same QR (ECC Q) drawn as modules. */
export function labelSvg(fields: LabelField[], qrPayload: string): string {
  const qr = QRCode.create(qrPayload, { errorCorrectionLevel: 'Q' });
  const size = qr.modules.size;
  const scale = 5;
  const qrSide = (size + 8) * scale;
  const lineHeight = 30;
  const height = Math.max(qrSide + 40, fields.length * lineHeight + 60);
  const x0 = LABEL_WIDTH_DOTS - 30 - qrSide;
  const modules: string[] = [];
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      if (qr.modules.get(row, col)) modules.push(`M${x0 + (col + 4) * scale} ${30 + (row + 4) * scale}h${scale}v${scale}h-${scale}z`);
    }
  }
  const textLines = fields
    .map((field, i) => `<text x="30" y="${60 + i * lineHeight}">${xml(`${field.key}: ${field.value}`)}</text>`)
    .join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${LABEL_WIDTH_DOTS}" height="${height}" viewBox="0 0 ${LABEL_WIDTH_DOTS} ${height}">` +
    `<rect width="100%" height="100%" fill="#fff"/>` +
    `<g font-family="Helvetica, Arial, sans-serif" font-size="24" fill="#000">${textLines}</g>` +
    `<path d="${modules.join('')}" fill="#000"/>` +
    `</svg>`
  );
}

/** PNG of the QR part (qrcode renders no text; the SVG is the full-label preview). */
export function labelQrPng(qrPayload: string): Promise<Buffer> {
  return QRCode.toBuffer(qrPayload, { errorCorrectionLevel: 'Q', type: 'png', scale: 5, margin: 4 });
}
