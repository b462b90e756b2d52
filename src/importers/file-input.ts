import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { ImportFileError } from './errors.js';

/** Gzip streams start with these two bytes (RFC 1952). */
const GZIP_MAGIC = [0x1f, 0x8b];

/** XLSX workbooks are ZIP archives, which start with "PK\x03\x04". */
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

/** A file's bytes after decompression, and whether it was gzip-compressed. */
export interface FileBytes {
  bytes: Buffer;
  compressed: boolean;
}

function startsWith(bytes: Buffer, magic: number[]): boolean {
  return magic.every((byte, index) => bytes[index] === byte);
}

/** Reads a file, decompressing it when its content is gzip (whatever its name ends with). */
export function readFileBytes(path: string): FileBytes {
  let raw: Buffer;
  try {
    raw = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ImportFileError(path, 'file not found; check the path');
    if (code === 'EISDIR') throw new ImportFileError(path, 'is a folder; pass the files inside it');
    throw error;
  }
  if (startsWith(raw, GZIP_MAGIC)) {
    try {
      return { bytes: gunzipSync(raw), compressed: true };
    } catch (error) {
      throw new ImportFileError(path, `failed to decompress gzip data: ${(error as Error).message}`);
    }
  }
  return { bytes: raw, compressed: false };
}

/** True for ZIP content, which among our inputs means an XLSX workbook. */
export function isZipContent(bytes: Buffer): boolean {
  return startsWith(bytes, ZIP_MAGIC);
}
