import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { CsvFramer, type CsvRow } from './csv-frame.js';

function rows(text: string, chunks: number[] = []): CsvRow[] {
  const f = new CsvFramer();
  const out: CsvRow[] = [];
  let pos = 0;
  for (const c of chunks) {
    out.push(...f.push(text.slice(pos, pos + c)));
    pos += c;
  }
  out.push(...f.push(text.slice(pos)));
  out.push(...f.end());
  return out;
}

test('quoted cells with doubled quotes, CRLF and line breaks inside quotes', () => {
  const text = 'RecordId,AuditData,Op\r\n1,"{""a"":""x\r\ny""}",New\r\n2,"",Set\r\n';
  const r = rows(text);
  assert.equal(r.length, 3);
  assert.deepEqual(r[1]!.cells, ['1', '{"a":"x\r\ny"}', 'New']);
  assert.deepEqual(r[2]!.cells, ['2', '', 'Set']);
  assert.equal(r[2]!.line, 4);
});

test('#TYPE preamble from Windows PowerShell is skipped and remembered', () => {
  const f = new CsvFramer();
  const r = [...f.push('#TYPE Deserialized.Foo\n"A","B"\n"1","2"\n'), ...f.end()];
  assert.deepEqual(r.map((x) => x.cells), [['A', 'B'], ['1', '2']]);
  assert.equal(f.typeLine, '#TYPE Deserialized.Foo');
});

test('semicolon and tab delimiters are sniffed from the header', () => {
  assert.deepEqual(rows('a;b\n1;"x;y"\n')[1]!.cells, ['1', 'x;y']);
  assert.deepEqual(rows('a\tb\n1\t2\n')[1]!.cells, ['1', '2']);
});

test('last row without newline and unterminated quote', () => {
  assert.deepEqual(rows('a,b\n1,2').map((x) => x.cells), [['a', 'b'], ['1', '2']]);
  const bad = rows('a,b\n1,"open\n');
  assert.equal(bad.length, 2);
  assert.match(bad[1]!.error ?? '', /unterminated/);
});

test('chunking never changes rows (property)', () => {
  const text = 'h1,h2,h3\r\n"a ""q""",b,"multi\nline"\r\n,,\r\n"x",y,z';
  const expected = rows(text);
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 15 }), (chunks) => {
      assert.deepEqual(rows(text, chunks), expected);
    }),
    { numRuns: 300 },
  );
  assert.equal(expected.length, 4);
});
