/** Saves text as a file through the browser's own download. */
export function downloadCsv(fileName: string, text: string): void {
  // A byte-order mark so Excel reads the file as UTF-8.
  const url = URL.createObjectURL(new Blob(['\ufeff', text], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  URL.revokeObjectURL(url);
}
