// Geo / ASN enrichment: range tables, the MMDB reader (on files written by the test writer), network tables, the
// loader with a fixture package, ASN kinds and the "never mix record and database places" rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { defaultConfig, mergeConfig, parseConfig } from '../config/config.js';
import type { Event } from '../core/event.js';
import { UsageError } from '../core/errors.js';
import { createEnrichment } from './allowlists.js';
import { AsnNamesBuilder, DEFAULT_HOSTING_ASNS, DEFAULT_MOBILE_ASNS, DEFAULT_VPN_ASNS, asnClassifier, asnDbFrom, emptyAsnCsv, parseAsnCsv, parseAsnFile } from './asn.js';
import { eachLine, eachLineOfFile, splitCsvLine } from './csv-line.js';
import { writeMmdb, type MmdbEntry } from './fixtures/mmdb-writer.js';
import { comparablePlaces, geoDbFromMmdb, haversineKm, isPublicIp, placeOf } from './geo.js';
import { GEO_PACKAGES, GeoDbMissingError, loadGeoEnrichment, missingMessage } from './loader.js';
import { LruCache } from './lru.js';
import { MmdbReader } from './mmdb.js';
import { parseNetworkTable } from './network-table.js';
import { RangeBuilder, cidrBounds, ipKeyOf } from './ranges.js';

const FIX = path.resolve('src/enrich/fixtures');

test('haversine: known distances', () => {
  assert.equal(Math.round(haversineKm(51.5072, -0.1276, 40.7128, -74.006)), 5570); // London - New York
  assert.equal(haversineKm(10, 20, 10, 20), 0);
  assert.ok(Math.abs(haversineKm(0, 0, 0, 180) - 20015) < 1, 'antipodes: half the circumference');
});

test('CSV lines: quotes, doubled quotes, empty fields', () => {
  assert.deepEqual(splitCsvLine('1,2,"Cloudflare, Inc."'), ['1', '2', 'Cloudflare, Inc.']);
  assert.deepEqual(splitCsvLine('a,"say ""hi""",,z'), ['a', 'say "hi"', '', 'z']);
  assert.deepEqual(splitCsvLine('a,'), ['a', '']);
});

test('range table: CIDR bounds, IPv6 keyed by its /64, nested ranges resolve to the most specific', () => {
  assert.deepEqual(cidrBounds('203.0.113.0/24'), { v: 4, start: 3405803776n, end: 3405804031n });
  assert.deepEqual(cidrBounds('2001:db8::/127'), cidrBounds('2001:db8::/64'), 'longer than /64 widens to the /64');
  assert.equal(cidrBounds('203.0.113.0/33'), undefined);
  assert.equal(ipKeyOf('2001:db8:1:2:ffff::1')?.key, ipKeyOf('2001:db8:1:2::')?.key, 'one /64, one key');

  const b = new RangeBuilder();
  b.addCidr('10.0.0.0/8', 1);
  b.addCidr('10.1.0.0/16', 2);
  b.addCidr('10.1.2.0/24', 3);
  b.addCidr('2001:db8::/32', 4);
  b.addCidr('2001:db8:5::/48', 5);
  const t = b.build();
  assert.equal(t.lookup('10.9.9.9'), 1);
  assert.equal(t.lookup('10.1.9.9'), 2);
  assert.equal(t.lookup('10.1.2.3'), 3);
  assert.equal(t.lookup('10.1.3.0'), 2, 'after the /24 the /16 resumes');
  assert.equal(t.lookup('11.0.0.0'), undefined);
  assert.equal(t.lookup('2001:db8:5:1::9'), 5);
  assert.equal(t.lookup('2001:db8:6::1'), 4);
  assert.equal(t.lookup('2001:db9::1'), undefined);
  assert.equal(t.lookup('not an ip'), undefined);
});

test('range table: lookups equal a longest-prefix scan (property)', () => {
  // random CIDRs inside 10.0.0.0/20 and random addresses in that block
  const cidr = fc.record({ host: fc.integer({ min: 0, max: 4095 }), len: fc.integer({ min: 20, max: 32 }) }).map(({ host, len }) => {
    const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
    const base = ((0x0a000000 + host) & mask) >>> 0;
    return { base, len };
  });
  fc.assert(
    fc.property(fc.uniqueArray(cidr, { selector: (c) => `${c.base}/${c.len}`, maxLength: 30 }), fc.array(fc.integer({ min: 0, max: 4095 }), { maxLength: 40 }), (cidrs, hosts) => {
      const b = new RangeBuilder();
      cidrs.forEach((c, i) => b.add4(c.base, c.base + 2 ** (32 - c.len) - 1, i));
      const t = b.build();
      for (const h of hosts) {
        const ip = 0x0a000000 + h;
        let best: number | undefined, bestLen = -1;
        cidrs.forEach((c, i) => {
          if (ip >= c.base && ip <= c.base + 2 ** (32 - c.len) - 1 && c.len > bestLen) [best, bestLen] = [i, c.len];
        });
        const text = `10.0.${(h >> 8) & 255}.${h & 255}`;
        assert.equal(t.lookup(text), best, text);
      }
    }),
    { numRuns: 200 },
  );
});

test('ip-location-db ASN CSV: address and numeric bounds, quoted names, unsorted rows, a header', () => {
  const p = parseAsnCsv(readFileSync(path.join(FIX, 'asn-package/asn-ipv4-num.csv'), 'utf8'));
  parseAsnCsv(readFileSync(path.join(FIX, 'asn-package/asn-ipv6-num.csv'), 'utf8'), { v6: true, into: p });
  parseAsnCsv('ip_range_start,ip_range_end,autonomous_system_number,autonomous_system_organization\n192.0.2.0,192.0.2.255,64520,"Example SASE, Inc."\nbroken line\n', { into: p });
  assert.equal(p.badCount, 1);
  assert.deepEqual(p.bad, [3]);
  const db = asnDbFrom(p);
  assert.equal(db.asn('203.0.113.5'), 64500);
  assert.equal(db.asn('203.0.113.200'), 64501);
  assert.equal(db.asn('198.51.100.1'), 64511);
  assert.equal(db.asn('192.0.2.77'), 64520);
  assert.equal(db.asn('2001:db8:10:1::1'), 64502);
  assert.equal(db.asn('2001:db8:20::1'), 64503);
  assert.equal(db.asn('2001:db8:30::1'), undefined);
  assert.equal(db.asn('10.0.0.1'), undefined);
  assert.equal(db.name(64500), 'Contoso Broadband, Ltd.');
  assert.equal(db.name(64520), 'Example SASE, Inc.');
});

test('MMDB reader: every record size, IPv4 and IPv6 trees, IPv4 inside an IPv6 tree, pointers, floats and doubles', () => {
  const entries: MmdbEntry[] = [
    { cidr: '203.0.113.0/24', data: { city: 'London', country_code: 'GB', latitude: 51.5072, longitude: -0.1276 } },
    { cidr: '203.0.113.128/25', data: { city: 'Frankfurt am Main', country_code: 'DE', latitude: 50.1109, longitude: 8.6821, state1: 'Hesse' } },
    { cidr: '198.51.100.0/24', data: { city: 'Lagos', country_code: 'NG', latitude: 6.5244, longitude: 3.3792 } },
  ];
  for (const recordSize of [24, 28, 32] as const) {
    for (const floats of [false, true]) {
      const r = new MmdbReader(writeMmdb(entries, { ipVersion: 4, recordSize, floats }));
      assert.equal(r.metadata.recordSize, recordSize);
      assert.equal(r.metadata.ipVersion, 4);
      assert.equal(r.metadata.buildEpoch, 1_700_000_000);
      const london = r.get('203.0.113.7') as Record<string, unknown>;
      assert.equal(london.city, 'London');
      assert.ok(Math.abs((london.latitude as number) - 51.5072) < 1e-4);
      const frankfurt = r.get('203.0.113.200') as Record<string, unknown>;
      assert.equal(frankfurt.country_code, 'DE', 'a key written as a pointer decodes');
      assert.equal(frankfurt.state1, 'Hesse');
      assert.equal(r.get('198.51.101.1'), undefined);
      assert.equal(r.get('2001:db8::1'), undefined, 'no IPv6 in an IPv4 tree');
    }
  }
  const v6 = new MmdbReader(writeMmdb([...entries, { cidr: '2001:db8:10::/48', data: { city: 'Seattle', country_code: 'US', latitude: 47.6062, longitude: -122.3321 } }], { ipVersion: 6, recordSize: 28 }));
  assert.equal((v6.get('2001:db8:10:ffff::1') as Record<string, unknown>).city, 'Seattle');
  assert.equal((v6.get('198.51.100.9') as Record<string, unknown>).city, 'Lagos', 'IPv4 under ::/96');
  assert.equal(v6.get('2001:db8:11::1'), undefined);
  assert.throws(() => new MmdbReader(Buffer.from('not a database')), /not a MaxMind DB/);
});

/** The entry a longest-prefix match over `entries` gives `ip` (what a correct MMDB reader must answer). */
function longestPrefix(entries: readonly MmdbEntry[], ip: string): MmdbEntry['data'] | undefined {
  const k = ipKeyOf(ip);
  let best: MmdbEntry | undefined, bestLen = -1;
  for (const e of entries) {
    const b = cidrBounds(e.cidr);
    const len = Number(e.cidr.split('/')[1]);
    if (!k || !b || b.v !== k.v || BigInt(k.key) < b.start || BigInt(k.key) > b.end) continue;
    if (len > bestLen) [best, bestLen] = [e, len];
  }
  return best?.data;
}

test('MMDB file reader: the same answers as the in-memory reader and a longest-prefix scan (tiny pages and caches)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tw-mmdb-'));
  const long = 'Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch, Ynys Môn, Cymru';
  const v4: MmdbEntry[] = [
    { cidr: '203.0.113.0/24', data: { city: 'London', country_code: 'GB', latitude: 51.5072, longitude: -0.1276 } },
    { cidr: '203.0.113.128/25', data: { city: 'Frankfurt am Main', country_code: 'DE', latitude: 50.1109, longitude: 8.6821, state1: 'Hesse' } },
    // deeper than the /24 the cache keys on: the /24 is split and its addresses are cached one by one
    { cidr: '203.0.113.200/30', data: { city: 'Paris', country_code: 'FR', latitude: 48.8566, longitude: 2.3522 } },
    { cidr: '198.51.100.0/23', data: { city: long, country_code: 'GB', latitude: 53.2245, longitude: -4.1973 } },
    { cidr: '192.0.2.0/24', data: { city: 'Lagos', country_code: 'NG', latitude: 6.5244, longitude: 3.3792, postcode: '' } },
  ];
  const v6: MmdbEntry[] = [
    { cidr: '2001:db8::/32', data: { country_code: 'US' } },
    { cidr: '2001:db8:10::/48', data: { city: 'Seattle', country_code: 'US', latitude: 47.6062, longitude: -122.3321 } },
    { cidr: '2001:db8:10:5::/64', data: { city: 'Tacoma', country_code: 'US', latitude: 47.2529, longitude: -122.4443 } },
  ];
  const probes4 = ['203.0.113.0', '203.0.113.7', '203.0.113.127', '203.0.113.128', '203.0.113.199', '203.0.113.200', '203.0.113.203', '203.0.113.204', '203.0.113.255',
    '198.51.100.1', '198.51.101.254', '198.51.102.0', '192.0.2.1', '192.0.3.1', '10.0.0.1', '0.0.0.0', '255.255.255.255'];
  const probes6 = ['2001:db8::1', '2001:db8:10::1', '2001:db8:10:5::9', '2001:db8:10:5:ffff::1', '2001:db8:10:6::1', '2001:db8:11::1', '2001:db9::1', '::1'];
  for (const ipVersion of [4, 6] as const) {
    for (const recordSize of [24, 28, 32] as const) {
      const entries = ipVersion === 6 ? [...v4, ...v6] : v4;
      const buf = writeMmdb(entries, { ipVersion, recordSize });
      const file = path.join(dir, `t${ipVersion}-${recordSize}.mmdb`);
      writeFileSync(file, buf);
      const mem = new MmdbReader(buf);
      // 16-byte pages: tree nodes and values straddle pages; caches of 2 entries: every lookup evicts
      const tiny = MmdbReader.open(file, { pageSize: 16, maxPages: 3, resultCache: 2, recordCache: 2, pointerCache: 2 });
      const dflt = MmdbReader.open(file);
      assert.deepEqual(tiny.metadata, mem.metadata);
      const probes = ipVersion === 6 ? [...probes4, ...probes6] : probes4;
      // twice, the second time reversed: answers from the caches must equal the first
      for (const ip of [...probes, ...[...probes].reverse()]) {
        const want = longestPrefix(entries, ip);
        const got = mem.get(ip);
        assert.deepEqual(got, want, `${ip} (IPv${ipVersion} tree, ${recordSize}-bit records)`);
        assert.deepEqual(tiny.get(ip), got, `${ip}: file reader, tiny pages`);
        assert.deepEqual(dflt.get(ip), got, `${ip}: file reader, default pages`);
      }
      if (ipVersion === 4) assert.equal(dflt.get('2001:db8::1'), undefined, 'no IPv6 in an IPv4 tree');
      // random addresses around the entries
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 0xffff }), fc.constantFrom(0xcb007100, 0xc6336400, 0xc0000200), (low, base) => {
          const n = (base + low) >>> 0;
          const ip = `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
          const got = tiny.get(ip);
          assert.deepEqual(got, mem.get(ip), ip);
          assert.deepEqual(got, longestPrefix(entries, ip), ip);
        }),
        { numRuns: 150 },
      );
      tiny.close();
      dflt.close();
    }
  }
  assert.throws(() => MmdbReader.open(path.join(dir, 'missing.mmdb')), /ENOENT/);
  writeFileSync(path.join(dir, 'bad.mmdb'), 'not a database');
  assert.throws(() => MmdbReader.open(path.join(dir, 'bad.mmdb')), /not a MaxMind DB/);
});

test('LRU cache: bounded, recently used entries survive', () => {
  const c = new LruCache<number, string>(4);
  for (let i = 0; i < 100; i++) {
    c.set(i, String(i));
    assert.equal(c.get(0) ?? (c.set(0, '0'), '0'), '0', 'the entry used every time stays');
    assert.ok(c.size <= 4);
  }
  assert.equal(c.get(99), '99');
  assert.equal(c.get(50), undefined);
  assert.throws(() => new LruCache(1), RangeError);
});

test('ASN CSV from a file: the byte parser equals the text parser (BOM, CRLF, header, addresses, quotes, chunk borders)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tw-asn-'));
  for (const [name, v6] of [['asn-ipv4-num.csv', false], ['asn-ipv6-num.csv', true]] as const) {
    const f = path.join(FIX, 'asn-package', name);
    const a = asnDbFrom(parseAsnFile(f, { v6 })), b = asnDbFrom(parseAsnCsv(readFileSync(f, 'utf8'), { v6 }));
    for (const ip of ['203.0.113.5', '203.0.113.200', '198.51.100.1', '10.0.0.1', '2001:db8:10:1::1', '2001:db8:20::1', '2001:db8:30::1']) assert.equal(a.asn(ip), b.asn(ip), ip);
    for (const asn of [64500, 64501, 64502, 64503, 64511, 1]) assert.equal(a.name(asn), b.name(asn), String(asn));
  }
  const odd =
    '\uFEFFip_range_start,ip_range_end,autonomous_system_number,autonomous_system_organization\r\n' +
    '3405803776,3405803903,64500,"Contoso Broadband, Ltd."\r\n' +
    '   \r\n' +
    '198.51.100.0,198.51.100.255,64511,Lagos Fibre\r\n' +
    '3405803904,3405804031,64500,Another name for 64500\r\n' +
    '3221225984,3221226239,64520,Caf\u00e9 R\u00e9seau \u2014 Zürich\r\n' +
    '3221226240,,64521,broken\r\n' +
    '42540766411301935670017819018449125376,42540766411303144595837433647623831551,64502,Cascade Mobile\n' +
    '2001:db8:20::,2001:db8:20:ffff:ffff:ffff:ffff:ffff,64503,Empire Fiber';
  const file = path.join(dir, 'odd.csv');
  writeFileSync(file, odd);
  const fromFile = parseAsnFile(file), fromText = parseAsnCsv(odd);
  assert.deepEqual([fromFile.badCount, fromFile.bad], [fromText.badCount, fromText.bad]);
  assert.deepEqual(fromFile.bad, [7, 8], 'a missing bound; a 128-bit number in a file not read as IPv6');
  const a = asnDbFrom(fromFile), b = asnDbFrom(fromText);
  for (const ip of ['203.0.113.1', '203.0.113.130', '198.51.100.9', '192.0.2.7', '192.0.3.1', '2001:db8:10::1', '2001:db8:20::1']) assert.equal(a.asn(ip), b.asn(ip), ip);
  assert.equal(a.asn('2001:db8:20::1'), 64503);
  assert.equal(a.name(64500), 'Contoso Broadband, Ltd.', 'the first name seen wins');
  assert.equal(a.name(64520), 'Café Réseau — Zürich');
  assert.equal(a.name(64520), b.name(64520));

  // lines split across chunks (a 7-byte buffer grows for longer lines) come out whole, numbered as eachLine does
  const seen: [string, number][] = [], want: [string, number][] = [];
  eachLineOfFile(file, (buf, s, e, no) => seen.push([buf.toString('utf8', s, e), no]), 7);
  eachLine(odd, (line, no) => want.push([line, no]));
  assert.deepEqual(seen.filter(([l]) => l.trim() !== ''), want);
});

test('ASN names: packed and deduplicated; a second file adds ASNs without renaming the first file\'s', () => {
  const b = new AsnNamesBuilder();
  b.add(64500, 'Contoso Broadband');
  b.add(64501, 'Hostwave Cloud');
  b.add(64502, 'Contoso Broadband');
  b.add(64500, 'renamed later');
  const t = b.build();
  assert.equal(t.size, 3);
  assert.equal(t.nameCount, 2, 'one copy of a shared name');
  assert.equal(t.get(64500), 'Contoso Broadband');
  assert.equal(t.get(64502), 'Contoso Broadband');
  assert.equal(t.get(64503), undefined);
  const v6 = emptyAsnCsv(t);
  parseAsnCsv('2001:db8::,2001:db8::ffff,64501,Other name\n2001:db8:1::,2001:db8:1::ffff,64499,Early Net\n2001:db8:2::,2001:db8:2::ffff,70000,Late Net\n', { v6: true, into: v6 });
  const both = v6.names.build();
  assert.deepEqual([...both.asns], [64499, 64500, 64501, 64502, 70000]);
  assert.equal(both.get(64501), 'Hostwave Cloud', 'the IPv4 file named it first');
  assert.equal(both.get(64499), 'Early Net');
  assert.equal(both.get(70000), 'Late Net');
  assert.equal(both.get(64500), 'Contoso Broadband');
});

test('DB-IP city records become Geo with from = db, one MMDB per family opened on first use', () => {
  let opened = 0;
  const file = writeMmdb([{ cidr: '203.0.113.0/24', data: { city: 'London', country_code: 'gb', state1: 'England', latitude: 51.5072, longitude: -0.1276, postcode: '', timezone: '' } }], { ipVersion: 4, recordSize: 24, floats: true });
  const db = geoDbFromMmdb({ v4: () => (opened++, file) });
  assert.equal(opened, 0, 'lazy');
  assert.deepEqual(db.geo('203.0.113.9'), { city: 'London', state: 'England', country: 'GB', lat: 51.5072, lon: -0.1276, from: 'db' });
  assert.equal(db.geo('203.0.114.1'), undefined);
  assert.equal(db.geo('2001:db8::1'), undefined, 'no IPv6 file: unknown');
  assert.equal(opened, 1);
});

test('network table: CIDRs and ranges, kinds, places; errors name file and line', () => {
  const t = parseNetworkTable(readFileSync(path.join(FIX, 'networks.csv'), 'utf8'), 'networks.csv');
  assert.equal(t.rows.length, 7);
  assert.deepEqual(t.geo('203.0.113.9'), { city: 'London', state: 'England', country: 'GB', lat: 51.5072, lon: -0.1276, from: 'db' });
  assert.equal(t.asn('198.51.100.70'), 64512, 'the nested /26 wins inside the /24');
  assert.equal(t.asn('198.51.100.10'), 64511);
  assert.equal(t.name(64500), 'Contoso Broadband, Ltd.');
  assert.equal(t.asn('2001:db8:10:5::1'), 64502);
  assert.deepEqual(t.kinds, { vpn: [64520], hosting: [64501], mobile: [64502] });
  const ranges = parseNetworkTable('ip_range_start,ip_range_end,asn\n192.0.2.10,192.0.2.20,AS64496\n');
  assert.equal(ranges.asn('192.0.2.15'), 64496);
  assert.equal(ranges.asn('192.0.2.21'), undefined);
  assert.throws(() => parseNetworkTable('asn,org\n1,x\n', 'mine.csv'), /mine\.csv:1: the header needs a "network"/);
  assert.throws(() => parseNetworkTable('network,asn\n203.0.113.0/24,notanumber\n', 'mine.csv'), /mine\.csv:2: not an ASN/);
  assert.throws(() => parseNetworkTable('network,latitude,longitude\n203.0.113.0/24,95,0\n', 'mine.csv'), /mine\.csv:2: bad coordinates/);
});

test('loader: fixture packages, network tables first, attribution, lazy reads', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tw-geo-'));
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: GEO_PACKAGES.city.name, version: '0.0.0-test' }));
  writeFileSync(path.join(dir, GEO_PACKAGES.city.files.v4), writeMmdb([{ cidr: '198.51.100.0/24', data: { city: 'Lagos', country_code: 'NG', latitude: 6.5244, longitude: 3.3792 } }], { ipVersion: 4, recordSize: 24, floats: true }));
  writeFileSync(path.join(dir, GEO_PACKAGES.city.files.v6), writeMmdb([{ cidr: '2001:db8:20::/48', data: { city: 'New York', country_code: 'US', latitude: 40.7128, longitude: -74.006 } }], { ipVersion: 6, recordSize: 24 }));
  const g = loadGeoEnrichment({ packageDirs: { asn: path.join(FIX, 'asn-package'), city: dir }, networkTables: [path.join(FIX, 'networks.csv')] });
  assert.deepEqual(g.missing, []);
  assert.equal(g.sources.length, 3);
  assert.match(g.sources[1]!, /@ip-location-db\/asn 0\.0\.0-test: .*RouteViews.*DB-IP/);
  assert.match(g.sources[2]!, /DB-IP\.com/);
  assert.equal(g.geo!('198.51.100.9')!.city, 'Lagos', 'network table first (its Lagos), then the MMDB');
  assert.equal(g.geo!('2001:db8:20::5')!.city, 'New York');
  assert.equal(g.asn!('203.0.113.200'), 64501);
  assert.equal(g.asnName!(64511), 'Lagos Fibre');
  assert.deepEqual(g.asnKinds.vpn, [64520]);

  const onlyPackages = loadGeoEnrichment({ packageDirs: { asn: path.join(FIX, 'asn-package'), city: dir } });
  assert.equal(onlyPackages.geo!('203.0.113.9'), undefined, 'not in the MMDB');
  assert.equal(onlyPackages.asn!('203.0.113.9'), 64500, 'from the package CSV');
  assert.equal(onlyPackages.asn!('2001:db8:10::9'), 64502);
});

test('loader: a missing database says which package@version to install; required makes it an error', () => {
  const empty = mkdtempSync(path.join(tmpdir(), 'tw-nogeo-'));
  const g = loadGeoEnrichment({ packageDirs: { asn: empty, city: empty } });
  assert.equal(g.geo, undefined);
  assert.equal(g.asn, undefined);
  assert.equal(g.missing.length, 1);
  assert.ok(g.missing[0]!.includes(`npm install ${GEO_PACKAGES.asn.name}@${GEO_PACKAGES.asn.version} ${GEO_PACKAGES.city.name}@${GEO_PACKAGES.city.version}`));
  assert.throws(() => loadGeoEnrichment({ packageDirs: { asn: empty, city: empty }, required: true }), (e: unknown) => e instanceof GeoDbMissingError && e.message === missingMessage(['asn', 'city']));
  assert.deepEqual(loadGeoEnrichment({ packages: false }).missing, [], 'packages off: nothing missing');
  assert.throws(() => loadGeoEnrichment({ packages: false, networkTables: [path.join(empty, 'none.csv')] }), UsageError);
});

test('ASN kinds: built-in VPN/SASE, hosting and mobile lists; config and tables extend them', () => {
  const kind = asnClassifier();
  assert.equal(kind(53813), 'vpn'); // Zscaler
  assert.equal(kind(55256), 'vpn'); // Netskope
  assert.equal(kind(14061), 'hosting'); // DigitalOcean
  assert.equal(kind(21928), 'mobile'); // T-Mobile USA
  assert.equal(kind(64500), undefined);
  assert.equal(kind(undefined), undefined);
  for (const list of [DEFAULT_VPN_ASNS, DEFAULT_HOSTING_ASNS, DEFAULT_MOBILE_ASNS]) {
    for (const [asn, name] of Object.entries(list)) assert.ok(Number(asn) > 0 && name.length > 2, `AS${asn}`);
  }
  const overlap = Object.keys(DEFAULT_VPN_ASNS).filter((a) => a in DEFAULT_HOSTING_ASNS || a in DEFAULT_MOBILE_ASNS);
  assert.deepEqual(overlap, [], 'each default ASN is in one list');

  const cfg = mergeConfig(defaultConfig(), parseConfig('allowlists:\n  vpnAsns: [AS64510]\n', 't.yml', []));
  const e = createEnrichment(cfg, { asnKinds: { hosting: [64501], mobile: [64502] }, asnName: (a) => (a === 64501 ? 'Hostwave Cloud' : undefined) });
  assert.equal(e.asnKind!(64510), 'vpn');
  assert.equal(e.asnKind!(64501), 'hosting');
  assert.equal(e.asnKind!(64502), 'mobile');
  assert.equal(e.asnKind!(62044), 'vpn');
  assert.equal(e.asnName!(64501), 'Hostwave Cloud');
  assert.equal(e.asnName!(62044), 'Zscaler Switzerland GmbH', 'built-in names when no table knows it');
  assert.equal(e.isVpnAsn(53813), false, "isVpnAsn stays the organisation's own list (other rules trust it)");
  assert.equal(createEnrichment(defaultConfig(), { defaultAsnLists: false }).asnKind!(53813), undefined);
});

test('public addresses: private, link-local, CGNAT and loopback are no place; documentation ranges are', () => {
  for (const ip of ['10.1.2.3', '192.168.0.1', '172.20.0.1', '100.64.1.1', '127.0.0.1', '169.254.1.1', 'fe80::1', 'fd00::1', '::1', undefined, 'nope']) assert.equal(isPublicIp(ip), false, String(ip));
  for (const ip of ['203.0.113.1', '198.51.100.1', '192.0.2.1', '2001:db8::1', '8.8.8.8']) assert.equal(isPublicIp(ip), true, ip);
});

function ev(ip: string, geo?: Event['actor']['geo']): Event {
  return { id: ip, time: 0, tenant: 't', source: 'entra.signin', action: 'signin', operation: 'x', outcome: 'success', actor: { kind: 'user', ip, geo }, targets: [], raw: { file: '-', format: 'x' } };
}

test('places: record with record, else database with database, never one of each', () => {
  const table = parseNetworkTable(readFileSync(path.join(FIX, 'networks.csv'), 'utf8'));
  const withDb = { geo: (ip: string) => table.geo(ip) };
  const recLondon = ev('198.51.100.9', { city: 'London', country: 'GB', lat: 51.5, lon: -0.12, from: 'record' });
  const recLagos = ev('203.0.113.9', { city: 'Lagos', country: 'NG', lat: 6.5, lon: 3.4, from: 'record' });
  const countryOnly = ev('203.0.113.200', { country: 'DE', from: 'record' });
  const bare = ev('2001:db8:20::1');
  assert.equal(comparablePlaces(recLondon, recLagos, withDb)?.from, 'record');
  const mixed = comparablePlaces(recLondon, countryOnly, withDb);
  assert.equal(mixed?.from, 'db', 'one side without record coordinates: both from the database');
  assert.equal(mixed?.a.city, 'Lagos', "the record side's IP looked up in the database too");
  assert.equal(mixed?.b.city, 'Frankfurt am Main');
  assert.equal(comparablePlaces(recLondon, bare, {}), undefined, 'no database: nothing to compare');
  assert.equal(comparablePlaces(recLondon, ev('10.0.0.1'), withDb), undefined, 'database does not know the other IP');
  assert.equal(placeOf(recLondon, withDb)?.from, 'record');
  assert.equal(placeOf(bare, withDb)?.city, 'New York');
  assert.equal(placeOf(bare, {}), undefined);
});
