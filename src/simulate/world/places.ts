// The simulator's own small city table: every simulated IP belongs to a network that sits in one of these places,
// and a sign-in's record location (city, state, countryOrRegion, geoCoordinates) is that place's. Time zones are
// fixed offsets (no daylight saving) — enough for office hours; documented in docs/simulate.md.

export type Continent = 'NA' | 'SA' | 'EU' | 'AF' | 'AS' | 'OC';

export interface Place {
  city: string;
  state: string;
  country: string; // ISO 3166 alpha-2
  lat: number;
  lon: number;
  tz: number; // hours from UTC
  continent: Continent;
  /** IATA code of the main airport, for flight-time realism */
  airport: string;
}

const P = (city: string, state: string, country: string, lat: number, lon: number, tz: number, continent: Continent, airport: string): Place =>
  ({ city, state, country, lat, lon, tz, continent, airport });

export const PLACES: readonly Place[] = [
  // North America
  P('Seattle', 'Washington', 'US', 47.6062, -122.3321, -8, 'NA', 'SEA'),
  P('San Francisco', 'California', 'US', 37.7749, -122.4194, -8, 'NA', 'SFO'),
  P('Denver', 'Colorado', 'US', 39.7392, -104.9903, -7, 'NA', 'DEN'),
  P('Chicago', 'Illinois', 'US', 41.8781, -87.6298, -6, 'NA', 'ORD'),
  P('Dallas', 'Texas', 'US', 32.7767, -96.797, -6, 'NA', 'DFW'),
  P('Atlanta', 'Georgia', 'US', 33.749, -84.388, -5, 'NA', 'ATL'),
  P('New York', 'New York', 'US', 40.7128, -74.006, -5, 'NA', 'JFK'),
  P('Boston', 'Massachusetts', 'US', 42.3601, -71.0589, -5, 'NA', 'BOS'),
  P('Ashburn', 'Virginia', 'US', 39.0438, -77.4874, -5, 'NA', 'IAD'),
  P('Toronto', 'Ontario', 'CA', 43.6532, -79.3832, -5, 'NA', 'YYZ'),
  P('Montreal', 'Quebec', 'CA', 45.5017, -73.5673, -5, 'NA', 'YUL'),
  P('Mexico City', 'Ciudad de Mexico', 'MX', 19.4326, -99.1332, -6, 'NA', 'MEX'),
  // South America
  P('Sao Paulo', 'Sao Paulo', 'BR', -23.5505, -46.6333, -3, 'SA', 'GRU'),
  P('Rio de Janeiro', 'Rio de Janeiro', 'BR', -22.9068, -43.1729, -3, 'SA', 'GIG'),
  P('Buenos Aires', 'Buenos Aires', 'AR', -34.6037, -58.3816, -3, 'SA', 'EZE'),
  P('Bogota', 'Bogota D.C.', 'CO', 4.711, -74.0721, -5, 'SA', 'BOG'),
  // Europe
  P('London', 'England', 'GB', 51.5074, -0.1278, 0, 'EU', 'LHR'),
  P('Manchester', 'England', 'GB', 53.4808, -2.2426, 0, 'EU', 'MAN'),
  P('Dublin', 'Dublin', 'IE', 53.3498, -6.2603, 0, 'EU', 'DUB'),
  P('Paris', 'Ile-de-France', 'FR', 48.8566, 2.3522, 1, 'EU', 'CDG'),
  P('Lyon', 'Auvergne-Rhone-Alpes', 'FR', 45.764, 4.8357, 1, 'EU', 'LYS'),
  P('Amsterdam', 'Noord-Holland', 'NL', 52.3676, 4.9041, 1, 'EU', 'AMS'),
  P('Rotterdam', 'Zuid-Holland', 'NL', 51.9244, 4.4777, 1, 'EU', 'RTM'),
  P('Frankfurt am Main', 'Hessen', 'DE', 50.1109, 8.6821, 1, 'EU', 'FRA'),
  P('Munich', 'Bayern', 'DE', 48.1351, 11.582, 1, 'EU', 'MUC'),
  P('Berlin', 'Berlin', 'DE', 52.52, 13.405, 1, 'EU', 'BER'),
  P('Hamburg', 'Hamburg', 'DE', 53.5511, 9.9937, 1, 'EU', 'HAM'),
  P('Madrid', 'Madrid', 'ES', 40.4168, -3.7038, 1, 'EU', 'MAD'),
  P('Barcelona', 'Catalonia', 'ES', 41.3874, 2.1686, 1, 'EU', 'BCN'),
  P('Milan', 'Lombardy', 'IT', 45.4642, 9.19, 1, 'EU', 'MXP'),
  P('Zurich', 'Zurich', 'CH', 47.3769, 8.5417, 1, 'EU', 'ZRH'),
  P('Stockholm', 'Stockholm', 'SE', 59.3293, 18.0686, 1, 'EU', 'ARN'),
  P('Warsaw', 'Mazowieckie', 'PL', 52.2297, 21.0122, 1, 'EU', 'WAW'),
  P('Bucharest', 'Bucuresti', 'RO', 44.4268, 26.1025, 2, 'EU', 'OTP'),
  P('Kyiv', 'Kyiv City', 'UA', 50.4501, 30.5234, 2, 'EU', 'KBP'),
  P('Moscow', 'Moscow', 'RU', 55.7558, 37.6173, 3, 'EU', 'SVO'),
  P('Lisbon', 'Lisboa', 'PT', 38.7223, -9.1393, 0, 'EU', 'LIS'),
  // Africa / Middle East
  P('Lagos', 'Lagos', 'NG', 6.5244, 3.3792, 1, 'AF', 'LOS'),
  P('Johannesburg', 'Gauteng', 'ZA', -26.2041, 28.0473, 2, 'AF', 'JNB'),
  P('Cairo', 'Cairo', 'EG', 30.0444, 31.2357, 2, 'AF', 'CAI'),
  P('Dubai', 'Dubai', 'AE', 25.2048, 55.2708, 4, 'AS', 'DXB'),
  // Asia / Oceania
  P('Mumbai', 'Maharashtra', 'IN', 19.076, 72.8777, 5.5, 'AS', 'BOM'),
  P('Bengaluru', 'Karnataka', 'IN', 12.9716, 77.5946, 5.5, 'AS', 'BLR'),
  P('Singapore', 'Singapore', 'SG', 1.3521, 103.8198, 8, 'AS', 'SIN'),
  P('Hong Kong', 'Hong Kong', 'HK', 22.3193, 114.1694, 8, 'AS', 'HKG'),
  P('Ho Chi Minh City', 'Ho Chi Minh', 'VN', 10.8231, 106.6297, 7, 'AS', 'SGN'),
  P('Jakarta', 'Jakarta', 'ID', -6.2088, 106.8456, 7, 'AS', 'CGK'),
  P('Seoul', 'Seoul', 'KR', 37.5665, 126.978, 9, 'AS', 'ICN'),
  P('Tokyo', 'Tokyo', 'JP', 35.6762, 139.6503, 9, 'AS', 'HND'),
  P('Sydney', 'New South Wales', 'AU', -33.8688, 151.2093, 10, 'OC', 'SYD'),
  P('Melbourne', 'Victoria', 'AU', -37.8136, 144.9631, 10, 'OC', 'MEL'),
  P('Auckland', 'Auckland', 'NZ', -36.8485, 174.7633, 12, 'OC', 'AKL'),
];

export function placeByCity(city: string): Place {
  const p = PLACES.find((x) => x.city === city);
  if (!p) throw new Error(`unknown simulator place ${city}`);
  return p;
}

export const placesIn = (country: string): Place[] => PLACES.filter((p) => p.country === country);

/** great-circle distance in km */
export function distanceKm(a: Place, b: Place): number {
  const R = 6371;
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * R * Math.asin(Math.sqrt(h));
}

/** Door-to-door flight time: 800 km/h cruise plus 45 min taxi/climb, at least 1 h (realistic for schedules). */
export const flightMinutes = (a: Place, b: Place) => Math.max(60, Math.round((distanceKm(a, b) / 800) * 60 + 45));
