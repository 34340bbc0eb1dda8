// Simulated networks: every IP the simulator writes belongs to one network with an ASN, an organisation, a kind and
// a place. Addresses come only from ranges reserved for documentation and benchmarking, never real ones:
//   192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24 (RFC 5737, cut into /28 blocks)
//   198.18.0.0/15 (RFC 2544, cut into /24 blocks) for residential ISPs and proxies
//   2001:db8::/32 (RFC 3849), one /48 per network
// ASNs come from the documentation ranges 64496-64511 and 65536-65551 (RFC 5398) and the private range 64512+.
// `geo/networks.csv` in the output lists the table, so tests can enrich from it like from a GeoIP database.
import type { Rng } from '../rng.js';
import { PLACES, type Place, placeByCity } from './places.js';

export type NetKind = 'isp' | 'mobile' | 'office' | 'sase' | 'hosting' | 'proxy' | 'partner' | 'saas';

export interface Network {
  id: number;
  kind: NetKind;
  org: string;
  asn: number;
  place: Place;
  /** IPv4 prefix text, e.g. "203.0.113.16/28" */
  v4: string;
  /** first three octets / base number for host generation */
  v4Base: number; // 32-bit network address
  v4Size: number; // number of addresses
  /** "2001:db8:1a:" style /48 prefix (trailing colon) */
  v6: string;
}

export const ipv4 = (n: number) => `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
const v4num = (a: number, b: number, c: number, d: number) => ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;

export class NetworkTable {
  readonly all: Network[] = [];
  private nextV6 = 0x10;
  private docBlocks: Record<'192.0.2' | '198.51.100' | '203.0.113', number> = { '192.0.2': 0, '198.51.100': 0, '203.0.113': 0 };
  private benchBlock = 0;
  private nextAsnDoc = 0;
  private nextAsnPrivate = 64512;

  private asn(doc: boolean): number {
    if (doc && this.nextAsnDoc < 32) {
      const i = this.nextAsnDoc++;
      return i < 16 ? 64496 + i : 65536 + (i - 16);
    }
    return this.nextAsnPrivate++;
  }

  private add(kind: NetKind, org: string, place: Place, v4Base: number, v4Size: number, docAsn: boolean, asn?: number): Network {
    const bits = 32 - Math.log2(v4Size);
    const net: Network = {
      id: this.all.length,
      kind,
      org,
      asn: asn ?? this.asn(docAsn),
      place,
      v4: `${ipv4(v4Base)}/${bits}`,
      v4Base,
      v4Size,
      v6: `2001:db8:${(this.nextV6++).toString(16)}:`,
    };
    this.all.push(net);
    return net;
  }

  /** a /28 from one of the three documentation /24s (16 blocks each) */
  addDoc(range: '192.0.2' | '198.51.100' | '203.0.113', kind: NetKind, org: string, place: Place, asn?: number): Network {
    const block = this.docBlocks[range]++;
    if (block >= 16) throw new Error(`simulator ran out of ${range}.0/24 blocks`);
    const [a, b, c] = range.split('.').map(Number) as [number, number, number];
    return this.add(kind, org, place, v4num(a, b, c, block * 16), 16, kind === 'hosting' || kind === 'proxy', asn);
  }

  /** a /24 from 198.18.0.0/15 (512 blocks) */
  addBench(kind: NetKind, org: string, place: Place, asn?: number): Network {
    const block = this.benchBlock++ % 512;
    return this.add(kind, org, place, v4num(198, 18 + (block >> 8), block & 255, 0), 256, false, asn);
  }

  /** a host address in the network: .1 … .size-2 */
  hostV4(net: Network, rng: Rng): string {
    return ipv4(net.v4Base + 1 + rng.int(0, net.v4Size - 3));
  }

  hostV6(net: Network, rng: Rng, subnet?: number): string {
    const sn = (subnet ?? rng.int(0, 0xffff)).toString(16);
    return `${net.v6}${sn}:${rng.hex(4).replace(/^0+(?=.)/, '')}:${rng.hex(4).replace(/^0+(?=.)/, '')}:${rng.hex(4).replace(/^0+(?=.)/, '')}:${rng.hex(4).replace(/^0+(?=.)/, '')}`;
  }

  /** the network an address belongs to (linear scan; the table is small) */
  lookup(ip: string): Network | undefined {
    if (ip.includes(':')) return this.all.find((n) => ip.toLowerCase().startsWith(n.v6));
    const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
    if (!m) return undefined;
    const x = v4num(+m[1]!, +m[2]!, +m[3]!, +m[4]!);
    return this.all.find((n) => x >= n.v4Base && x < n.v4Base + n.v4Size);
  }

  csv(): string {
    const rows = ['network,asn,org,kind,city,state,country,latitude,longitude'];
    for (const n of this.all) {
      for (const prefix of [n.v4, `${n.v6}:/48`]) {
        rows.push([prefix, n.asn, `"${n.org}"`, n.kind, `"${n.place.city}"`, `"${n.place.state}"`, n.place.country, n.place.lat, n.place.lon].join(','));
      }
    }
    return rows.join('\n') + '\n';
  }
}

const ISP_NAMES = ['Telecom', 'Broadband', 'Fiber', 'Cable', 'Net', 'Online', 'Connect'];
const CARRIER_NAMES = ['Mobile', 'Wireless', 'Cellular', 'Mobil', 'Telefonia Movil'];
const HOSTING_NAMES = ['Hostwave', 'CloudCrate', 'ByteForge', 'VPSBay', 'RackNimbus', 'Serverlane', 'Kilonode', 'DataPike', 'Quickhost', 'Nimbus Edge', 'Frostbyte', 'Ampere Hosting', 'Hexaport', 'Stackyard', 'Bitharbor', 'Cloudmill'];

/**
 * Build the network table for a tenant: office NATs, the SASE provider's egress nodes, residential ISPs and mobile
 * carriers in every place the tenant's people live or visit, SaaS/partner senders, and hosting/proxy networks for
 * attackers. Deterministic for the rng.
 */
export function buildNetworks(rng: Rng, officeCities: string[], travelCities: string[]) {
  const t = new NetworkTable();
  const offices = officeCities.map((c, i) => t.addDoc('198.51.100', 'office', `Corporate egress ${i + 1}`, placeByCity(c)));
  const saseCities = rng.sample(['Frankfurt am Main', 'London', 'Amsterdam', 'Ashburn', 'Chicago', 'Dallas', 'Singapore', 'Paris', 'Sao Paulo', 'Tokyo'], 4);
  const saseAsn = 64512 + 900;
  const sase = saseCities.map((c) => t.addDoc('198.51.100', 'sase', 'Skyward Secure Edge', placeByCity(c), saseAsn));
  const partner = t.addDoc('198.51.100', 'partner', 'Partner mail relay', placeByCity(rng.pick(officeCities)));
  const esp = t.addDoc('198.51.100', 'saas', 'Brightpost Email Delivery', placeByCity('Ashburn'));
  const saas = t.addDoc('198.51.100', 'saas', 'SaaS integrations', placeByCity('Dublin'));
  const hosting = HOSTING_NAMES.map((name) => {
    const p = rng.pick(PLACES);
    return t.addDoc('203.0.113', 'hosting', `${name} ${p.country}`, p);
  });
  // mobile carriers: one national gateway per country (carrier IPs geolocate to the gateway city, not the user's)
  const countries = [...new Set([...officeCities, ...travelCities].map((c) => placeByCity(c).country))];
  const carriers = new Map<string, Network[]>();
  for (const cc of countries) {
    const inCountry = PLACES.filter((p) => p.country === cc);
    const list: Network[] = [];
    for (let i = 0; i < 2; i++) {
      const p = rng.pick(inCountry);
      list.push(t.addBench('mobile', `${cc} ${rng.pick(CARRIER_NAMES)} ${i + 1}`, p));
    }
    carriers.set(cc, list);
  }
  // residential ISPs: three per city people live in, and one per travel city (hotel Wi-Fi)
  const isps = new Map<string, Network[]>();
  for (const c of [...new Set([...officeCities, ...travelCities])]) {
    const p = placeByCity(c);
    const n = officeCities.includes(c) ? 3 : 1;
    isps.set(c, Array.from({ length: n }, (_, i) => t.addBench('isp', `${p.city} ${rng.pick(ISP_NAMES)} ${i + 1}`, p)));
  }
  // residential proxy exits all over the world (sprays and token replays come from these too)
  const proxies = PLACES.map((p) => t.addBench('proxy', `Residential exit ${p.country}-${p.airport}`, p));
  return { table: t, offices, sase, partner, esp, saas, hosting, carriers, isps, proxies };
}

export type Networks = ReturnType<typeof buildNetworks>;
