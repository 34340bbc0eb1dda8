import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FINANCE_WORDS, SECURITY_WORDS, hideFolder, wordsIn } from './vocabulary.js';

test('hiding folders by their localized names, in any MoveToFolder spelling', () => {
  assert.equal(hideFolder('alex@contoso.com:\\RSS Feeds'), 'rss');
  assert.equal(hideFolder(':\\RSS-Feeds'), 'rss');
  assert.equal(hideFolder('Historique des conversations'), 'conversationHistory'); // as in a real UAL record
  assert.equal(hideFolder('Gespreksgeschiedenis'), 'conversationHistory');
  assert.equal(hideFolder('\\Inbox\\Archivio'), 'archive');
  assert.equal(hideFolder('Junk-E-Mail'), 'junk');
  assert.equal(hideFolder('Lixo Eletrônico'), 'junk');
  assert.equal(hideFolder('削除済みアイテム'), 'deleted');
  assert.equal(hideFolder('Newsletters'), undefined);
  assert.equal(hideFolder(undefined), undefined);
});

test('condition words: whole words with plurals, not inside other words', () => {
  assert.deepEqual(wordsIn('SubjectContainsWords=Invoices;Payment', FINANCE_WORDS), ['invoice', 'payment']);
  assert.deepEqual(wordsIn('wireless achievement', FINANCE_WORDS), []);
  assert.deepEqual(wordsIn('Überweisung / 請求書', FINANCE_WORDS), ['überweisung', '請求書']);
  assert.deepEqual(wordsIn('{(SubString IgnoreCase(SubjectProperty)=phishing)}', SECURITY_WORDS), ['phishing']);
});
