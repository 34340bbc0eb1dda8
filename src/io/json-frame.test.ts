import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { JsonFramer, type JsonFrame } from './json-frame.js';

function frame(text: string, chunks: number[] = []): JsonFrame[] {
  const f = new JsonFramer();
  const out: JsonFrame[] = [];
  let pos = 0;
  for (const c of chunks) {
    out.push(...f.push(text.slice(pos, pos + c)));
    pos += c;
  }
  out.push(...f.push(text.slice(pos)));
  out.push(...f.end());
  return out;
}
const values = (fr: JsonFrame[]) => fr.filter((x) => x.kind === 'value').map((x) => JSON.parse(x.text));

test('concatenated pretty objects and NDJSON', () => {
  const fr = frame('{"a":1}\n{"a":2}\n{\n  "a": {"b": [1,2,{"c":"}"}]}\n}\n');
  assert.deepEqual(values(fr), [{ a: 1 }, { a: 2 }, { a: { b: [1, 2, { c: '}' }] } }]);
  assert.equal(fr[2]!.line, 3);
});

test('top-level array of records and array of pages', () => {
  assert.deepEqual(values(frame('[{"id":1},{"id":2}]')), [{ id: 1 }, { id: 2 }]);
  // pages inside an array come out whole; object-level unwrap splits them later
  assert.deepEqual(values(frame('[{"value":[{"id":1}]},{"value":[{"id":2}]}]')), [{ value: [{ id: 1 }] }, { value: [{ id: 2 }] }]);
});

test('envelope objects are descended: value and records arrays', () => {
  const page = '{"@odata.context":"x","value":[{"id":"a","v":{"value":[1]}},{"id":"b"}],"@odata.nextLink":"https://n"}';
  assert.deepEqual(values(frame(page + '\n' + page)).map((r) => r.id), ['a', 'b', 'a', 'b']);
  assert.deepEqual(values(frame('{"records":[{"time":"t","category":"SignInLogs"}]}')), [{ time: 't', category: 'SignInLogs' }]);
});

test('a record with a scalar "value" key is a record, not an envelope', () => {
  assert.deepEqual(values(frame('{"name":"x","value":"y"}')), [{ name: 'x', value: 'y' }]);
});

test('truncated last record is reported with its line', () => {
  const fr = frame('{"a":1}\n{"a":2, "b": "unterminated');
  assert.equal(values(fr).length, 1);
  const err = fr.find((x) => x.kind === 'error');
  assert.ok(err && err.kind === 'error');
  assert.match(err.reason, /truncated/);
  assert.equal(err.line, 2);
});

test('garbage between records is reported and the run continues', () => {
  const fr = frame('{"a":1}\nnot json here\n\u0001\u0002binary\n{"a":2}\n');
  assert.deepEqual(values(fr), [{ a: 1 }, { a: 2 }]);
  const errs = fr.filter((x) => x.kind === 'error');
  assert.equal(errs.length, 2);
  assert.equal(errs[0]!.line, 2);
});

test('scalars inside a top-level array are reported, objects kept', () => {
  const fr = frame('[1, {"a":1}, "s"]');
  assert.deepEqual(values(fr), [{ a: 1 }]);
  assert.equal(fr.filter((x) => x.kind === 'error').length, 2);
});

test('chunk boundaries never change the frames (property)', () => {
  const text = '\ufeff{"value":[{"id":"1","s":"a\\"}{["},{"id":"2"}]}\n[{"id":"3"}]\n{"id":"4","x":[{"y":"]"}]}';
  const expected = frame(text);
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 12 }), (chunks) => {
      assert.deepEqual(frame(text, chunks), expected);
    }),
    { numRuns: 300 },
  );
  assert.deepEqual(values(expected).map((r) => r.id), ['1', '2', '3', '4']);
});

test('an unbalanced quote costs one record, not the rest of the file', () => {
  const fr = frame('{\u0000a":"x","b":1}\n{"a":2}\n[{"a":3},\n{"a":"cut\n{"a":4}]');
  assert.deepEqual(values(fr), [{ a: 2 }, { a: 3 }, { a: 4 }]);
  assert.equal(fr.filter((x) => x.kind === 'error').length, 2);
});

test('an unbalanced brace costs one record: a record starting at column 0 resynchronises', () => {
  const fr = frame('{"a":{"x":1,"b":2}\n{"a":2}\n[{"a":{"y":3}\n{"a":4}]\n{"a":5,\n{"a":6}');
  assert.deepEqual(values(fr), [{ a: 2 }, { a: 4 }, { a: 6 }]);
  assert.equal(fr.filter((x) => x.kind === 'error').length, 3);
  // a nested object at column 0 where JSON allows a value is not a resync point
  assert.deepEqual(values(frame('{"d":{"results":[\n{"id":1},\n{"id":2}]}}')), [{ d: { results: [{ id: 1 }, { id: 2 }] } }]);
  // pretty-printed records (nested objects indented) are untouched
  assert.deepEqual(values(frame('{\n  "a": {\n    "b": 1\n  }\n}\n{\n  "a": 2\n}\n')), [{ a: { b: 1 } }, { a: 2 }]);
});
