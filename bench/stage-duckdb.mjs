// DuckDB on the same sign-in NDJSON: read_json with the needed columns declared (load time counted), then SQL
// equivalents of three rules. Usage: node stage-duckdb.mjs FILE OUT.json → prints {records, ms, loadMs, queryMs, cpuMs, rssMb}
// and writes the hits to OUT.json for bench/compare.mjs. Needs `cd bench && npm install` (@duckdb/node-api).
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { DuckDBInstance } from '@duckdb/node-api';

const [file, out] = process.argv.slice(2);
const t0 = performance.now();
const c0 = process.cpuUsage();
const db = await DuckDBInstance.create(':memory:', { threads: String(availableParallelism()) });
const con = await db.connect();
const q = async (sql) => (await con.runAndReadAll(sql)).getRowObjectsJS();

// Only what the three rules read. createdDateTime is text (7 fractional digits and an offset): parsed below.
const columns = `{
  category: 'VARCHAR',
  properties: 'STRUCT(id VARCHAR, createdDateTime VARCHAR, userPrincipalName VARCHAR, userId VARCHAR, appId VARCHAR,
    ipAddress VARCHAR, autonomousSystemNumber BIGINT, status STRUCT(errorCode BIGINT),
    location STRUCT(geoCoordinates STRUCT(latitude DOUBLE, longitude DOUBLE)),
    networkLocationDetails STRUCT(networkType VARCHAR, networkNames VARCHAR[])[])'
}`;
const GUID = `'^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'`;
await q(`
CREATE MACRO v6group(g) AS CASE WHEN ltrim(lower(g), '0') = '' THEN '0' ELSE ltrim(lower(g), '0') END;
CREATE MACRO v6head(ip) AS CASE WHEN split_part(ip, '::', 1) = '' THEN []::VARCHAR[] ELSE string_split(split_part(ip, '::', 1), ':') END;
CREATE MACRO v6tail(ip) AS CASE WHEN NOT contains(ip, '::') OR split_part(ip, '::', 2) = '' THEN []::VARCHAR[] ELSE string_split(split_part(ip, '::', 2), ':') END;
CREATE MACRO v6groups(ip) AS list_concat(v6head(ip), list_transform(range(CASE WHEN contains(ip, '::') THEN 8 - len(v6head(ip)) - len(v6tail(ip)) ELSE 0 END), x -> '0'), v6tail(ip));
-- the rules' source key: an IPv4 address, or an IPv6 /64
CREATE MACRO ipkey(ip) AS CASE WHEN ip IS NULL OR ip = '' THEN NULL WHEN contains(ip, ':')
  THEN array_to_string(list_transform(v6groups(ip)[1:4], g -> v6group(g)), ':') || '::/64' ELSE ip END;
CREATE TABLE s AS SELECT
  category,
  properties.id AS id,
  epoch_ms(strptime(regexp_replace(properties.createdDateTime, '(\\.\\d{6})\\d*', '\\1'), ['%Y-%m-%dT%H:%M:%S.%f%z', '%Y-%m-%dT%H:%M:%S%z', '%Y-%m-%dT%H:%M:%S.%fZ', '%Y-%m-%dT%H:%M:%SZ'])) AS t,
  coalesce(CASE WHEN NOT regexp_matches(properties.userPrincipalName, ${GUID}) THEN lower(trim(properties.userPrincipalName)) END, lower(properties.userId)) AS ukey,
  lower(properties.appId) AS app,
  properties.ipAddress AS ip,
  ipkey(properties.ipAddress) AS ipk,
  properties.autonomousSystemNumber AS asn,
  properties.status.errorCode AS code,
  properties.location.geoCoordinates.latitude AS lat,
  properties.location.geoCoordinates.longitude AS lon,
  -- a trusted named location (office egress) says nothing about where the user is
  coalesce(list_bool_or(list_transform(properties.networkLocationDetails, x -> coalesce(regexp_matches(x.networkType, '(?i)trusted'), false)))
    AND list_sum(list_transform(properties.networkLocationDetails, x -> coalesce(len(x.networkNames), 0))) > 0, false) AS trusted
FROM read_json('${file.replace(/'/g, "''")}', format = 'newline_delimited', columns = ${columns});
`);
const loadMs = performance.now() - t0;
const [{ n }] = await q('SELECT count(*)::INTEGER AS n FROM s');

const t1 = performance.now();
// TW-SIGNIN-001: one source fails for >= 10 distinct accounts within 20 minutes, <= 3 distinct attempts per account
const stuffing = await q(`
WITH f AS (SELECT ukey, ipk, t, code FROM s
  WHERE category IN ('SignInLogs', 'NonInteractiveUserSignInLogs') AND code IN (50126, 50034, 50053, 50055, 50056, 50057)
    AND ukey IS NOT NULL AND ipk IS NOT NULL),
w AS (SELECT a.ipk, a.t, count(DISTINCT b.ukey) AS accounts, count(DISTINCT (b.ukey, b.t // 1000, b.code)) AS attempts
  FROM f a JOIN f b ON a.ipk = b.ipk AND b.t > a.t - 20 * 60000 AND b.t <= a.t GROUP BY a.ipk, a.t)
SELECT DISTINCT ipk AS key FROM w WHERE accounts >= 10 AND attempts <= 3 * accounts ORDER BY 1`);
// TW-SIGNIN-010: consecutive placed successful interactive sign-ins of a user, >= 500 km apart, faster than 900 km/h
const travel = await q(`
WITH p AS (SELECT id, ukey, t, ipk, lat, lon FROM s
  WHERE category = 'SignInLogs' AND code = 0 AND ukey IS NOT NULL AND ipk IS NOT NULL
    AND lat IS NOT NULL AND lon IS NOT NULL AND NOT (lat = 0 AND lon = 0) AND NOT trusted),
l AS (SELECT ukey, t, ipk, lat, lon,
    lag(t) OVER w AS pt, lag(ipk) OVER w AS pipk, lag(lat) OVER w AS plat, lag(lon) OVER w AS plon
  FROM p WINDOW w AS (PARTITION BY ukey ORDER BY t, id)),
k AS (SELECT *, 2 * 6371.0088 * asin(least(1, sqrt(pow(sin(radians(lat - plat) / 2), 2)
    + cos(radians(plat)) * cos(radians(lat)) * pow(sin(radians(lon - plon) / 2), 2)))) AS km FROM l WHERE pt IS NOT NULL)
SELECT DISTINCT ukey AS key FROM k
WHERE t - pt <= ${(Math.ceil((Math.PI * 6371.0088) / 900) + 1) * 3600000} AND ipk <> pipk AND km >= 500
  AND (t = pt OR km / ((t - pt) / 3600000.0) > 900) ORDER BY 1`);
// TW-SP-001: an app's service principal signs in from a network (ASN, else IP) it has not used, after 3 days of learning
const spNew = await q(`
WITH e AS (SELECT app, t, CASE WHEN asn > 0 THEN 'AS' || asn ELSE ipk END AS net FROM s
  WHERE category = 'ServicePrincipalSignInLogs' AND code = 0 AND app IS NOT NULL AND ipk IS NOT NULL),
first_app AS (SELECT app, min(t) AS since FROM e GROUP BY app),
first_net AS (SELECT app, net, min(t) AS t FROM e GROUP BY app, net)
SELECT DISTINCT n.app AS key FROM first_net n JOIN first_app a USING (app)
WHERE n.t - a.since >= 3 * 86400000 ORDER BY 1`);
const queryMs = performance.now() - t1;
const c = process.cpuUsage(c0);
writeFileSync(out, JSON.stringify({ 'TW-SIGNIN-001': stuffing.map((r) => r.key), 'TW-SIGNIN-010': travel.map((r) => r.key), 'TW-SP-001': spNew.map((r) => r.key) }, null, 1));
console.log(JSON.stringify({ records: n, ms: performance.now() - t0, loadMs, queryMs, cpuMs: (c.user + c.system) / 1000, rssMb: process.resourceUsage().maxRSS / 1024 }));
