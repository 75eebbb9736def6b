import { StringDecoder } from 'node:string_decoder';

export interface LineSplitter {
  /** Feeds raw bytes; answers the complete items they finish, in order. */
  push(chunk: Buffer | string): string[];
  /** Bytes thrown away so far because an item grew past maxLength (line noise, a stuck device). */
  dropped(): number;
}

export interface LineSplitterOptions {
  /** Characters that end an item; runs of them end one item (CRLF is one end, not an empty line). */
  ends: RegExp;
  /** An unterminated item longer than this is noise: it is dropped rather than buffered forever. */
  maxLength: number;
}

/**
 * Cuts a byte stream into items at terminator characters, however the serial driver chunks
 * it: an item split over reads is joined, several items in one read come out one by one.
 * UTF-8 is decoded across chunk boundaries, so a multi-byte character split by a read survives.
 */
export function createLineSplitter(options: LineSplitterOptions): LineSplitter {
  const decoder = new StringDecoder('utf8');
  const ends = new RegExp(options.ends.source, 'g');
  let pending = '';
  let droppedBytes = 0;
  return {
    push(chunk) {
      pending += typeof chunk === 'string' ? chunk : decoder.write(chunk);
      const items: string[] = [];
      let start = 0;
      ends.lastIndex = 0;
      for (let match = ends.exec(pending); match; match = ends.exec(pending)) {
        const item = pending.slice(start, match.index);
        if (item.length > 0) items.push(item);
        start = match.index + match[0].length;
      }
      pending = pending.slice(start);
      if (pending.length > options.maxLength) {
        droppedBytes += Buffer.byteLength(pending);
        pending = '';
      }
      return items;
    },
    dropped: () => droppedBytes,
  };
}
