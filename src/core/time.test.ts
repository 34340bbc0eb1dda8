import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseTime, parseDuration, zoneOffsetMinutes } from './time.js';

test('ISO shapes: 0-9 fraction digits, Z, offsets, no zone = UTC', () => {
  assert.equal(parseTime('2019-10-18T09:45:48.0729893Z'), Date.UTC(2019, 9, 18, 9, 45, 48, 72));
  assert.equal(parseTime('2019-10-18T04:45:48.0729893-05:00'), Date.UTC(2019, 9, 18, 9, 45, 48, 72));
  assert.equal(parseTime('2020-02-07T20:49:49'), Date.UTC(2020, 1, 7, 20, 49, 49));
  assert.equal(parseTime('2026-01-24T06:54:24.0000000Z '), Date.UTC(2026, 0, 24, 6, 54, 24));
  assert.equal(parseTime('2023-10-26T5:32:08.107Z'), Date.UTC(2023, 9, 26, 5, 32, 8, 107));
});

test('locale shapes: US slash with AM/PM, Log Analytics comma, European dots and dashes, OData', () => {
  assert.equal(parseTime('9/20/2023 4:05:03 AM'), Date.UTC(2023, 8, 20, 4, 5, 3));
  assert.equal(parseTime('9/19/2023, 1:45:17.287 PM'), Date.UTC(2023, 8, 19, 13, 45, 17, 287));
  assert.equal(parseTime('1/9/2007 10:41:00 AM +01:00'), Date.UTC(2007, 0, 9, 9, 41, 0));
  assert.equal(parseTime('19.9.2023 13:45:17'), Date.UTC(2023, 8, 19, 13, 45, 17));
  assert.equal(parseTime('9-4-2025 17:19:27'), Date.UTC(2025, 3, 9, 17, 19, 27));
  assert.equal(parseTime('4/9/2025 17:19:27', { dayFirst: true }), Date.UTC(2025, 8, 4, 17, 19, 27));
  // a date one order alone can read is read so, whatever the order asked for (a US Log Analytics export under --day-first)
  assert.equal(parseTime('9/19/2023, 1:42:37.848 PM', { dayFirst: true }), Date.UTC(2023, 8, 19, 13, 42, 37, 848));
  assert.equal(parseTime('19/9/2023 13:42:37'), Date.UTC(2023, 8, 19, 13, 42, 37));
  assert.equal(parseTime('13/14/2023 10:00:00', { dayFirst: true }), undefined);
  assert.equal(parseTime('/Date(1658751973240)/'), 1658751973240);
});

test('zones: fixed offsets and IANA names for zone-less values; garbage is undefined, never a throw', () => {
  assert.equal(parseTime('2026-07-01T12:00:00', { tz: '+02:00' }), Date.UTC(2026, 6, 1, 10, 0, 0));
  assert.equal(parseTime('2026-07-01T12:00:00', { tz: 'Europe/Berlin' }), Date.UTC(2026, 6, 1, 10, 0, 0));
  assert.equal(parseTime('2026-01-01T12:00:00', { tz: 'Europe/Berlin' }), Date.UTC(2026, 0, 1, 11, 0, 0));
  assert.equal(zoneOffsetMinutes('America/New_York', Date.UTC(2026, 0, 1)), -300);
  for (const bad of ['', 'yesterday', '13/45/2020 10:00:00', '2026-13-01T00:00:00Z', {}, null, NaN]) assert.equal(parseTime(bad), undefined);
  assert.equal(parseDuration('15m'), 900000);
});
