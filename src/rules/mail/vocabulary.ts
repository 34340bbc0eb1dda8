// Words that matter in mailbox rules: the default folders a rule uses to HIDE mail (by their English and
// localized display names — New-InboxRule -MoveToFolder carries the name as the mailbox shows it, so a German
// mailbox says "RSS-Feeds"), and condition keywords that point at payment fraud (BEC) or at hiding security notices.
// Localized names are Outlook / Exchange Online defaults; extend the table rather than the rule.

export type HideFolder = 'rss' | 'conversationHistory' | 'archive' | 'junk' | 'deleted';

/** Default folder display names by purpose: en, de, fr, es, nl, it, pt (BR and PT), ja, plus common variants. */
export const HIDE_FOLDERS: Record<HideFolder, readonly string[]> = {
  rss: [
    'RSS Feeds', 'RSS Subscriptions', // en (Outlook, Exchange Online)
    'RSS-Feeds', 'RSS-Abonnements', // de
    'Flux RSS', 'Abonnements RSS', // fr
    'Fuentes RSS', 'Suscripciones RSS', // es
    'RSS-feeds', 'RSS-abonnementen', // nl
    'Feed RSS', 'Sottoscrizioni RSS', // it
    'Feeds RSS', 'Assinaturas RSS', // pt
    'RSS フィード', 'RSS フィードの購読', // ja
  ],
  conversationHistory: [
    'Conversation History',
    'Unterhaltungsverlauf',
    'Historique des conversations',
    'Historial de conversaciones',
    'Gespreksgeschiedenis',
    'Cronologia conversazioni',
    'Histórico de Conversas', 'Histórico de conversações',
    '会話の履歴',
  ],
  archive: ['Archive', 'Archiv', 'Archivo', 'Archief', 'Archivio', 'Arquivo Morto', 'Arquivo', 'アーカイブ'],
  junk: [
    'Junk Email', 'Junk E-mail', 'Junk',
    'Junk-E-Mail',
    'Courrier indésirable',
    'Correo no deseado',
    'Ongewenste e-mail',
    'Posta indesiderata',
    'Lixo Eletrônico', 'Lixo Eletrónico', 'Email de Lixo',
    '迷惑メール',
  ],
  deleted: [
    'Deleted Items',
    'Gelöschte Elemente',
    'Éléments supprimés',
    'Elementos eliminados',
    'Verwijderde items',
    'Posta eliminata',
    'Itens Excluídos', 'Itens Eliminados',
    '削除済みアイテム',
  ],
};

const fold = (s: string): string => s.normalize('NFC').trim().toLowerCase().replace(/\s+/g, ' ');
const FOLDER_INDEX = new Map<string, HideFolder>();
for (const [purpose, names] of Object.entries(HIDE_FOLDERS) as [HideFolder, readonly string[]][]) {
  for (const n of names) FOLDER_INDEX.set(fold(n), purpose);
}

/**
 * The hiding purpose of a -MoveToFolder value: "RSS Feeds", ":\RSS-Feeds", "alex@contoso.com:\Junk-E-Mail",
 * "\Inbox\Archive" (the last path segment counts). Undefined for any other folder.
 */
export function hideFolder(value: string | undefined): HideFolder | undefined {
  if (!value) return undefined;
  const last = value.split(/[\\/]/).pop() ?? value;
  const name = last.includes(':') ? last.slice(last.lastIndexOf(':') + 1) : last;
  return FOLDER_INDEX.get(fold(name));
}

/** Payment-fraud words (BEC redirects invoices), in the same languages; matched as word prefixes, case-insensitive. */
export const FINANCE_WORDS: readonly string[] = [
  'invoice', 'payment', 'wire', 'bank', 'remittance', 'iban', 'swift', 'ach', 'payroll', 'transfer', 'w-2', 'w2',
  'rechnung', 'zahlung', 'überweisung', 'bankverbindung', // de
  'facture', 'paiement', 'virement', 'banque', 'rib', // fr
  'factura', 'pago', 'transferencia', 'banco', // es
  'factuur', 'betaling', 'overboeking', // nl
  'fattura', 'pagamento', 'bonifico', // it
  'fatura', 'transferência', // pt
  '請求書', '支払', '振込', '銀行', // ja
];

/** Words of security notices an attacker hides from the victim (Sentinel's malicious-inbox-rule list and kin). */
export const SECURITY_WORDS: readonly string[] = [
  'helpdesk', 'help desk', 'security', 'suspicious', 'phish', 'phishing', 'hacked', 'hijacked', 'compromised', 'malicious', 'spam',
  'fake', 'do not click', 'do not open', 'virus', 'password', 'sign-in', 'mfa', 'verify',
];

const isLatinWord = (w: string): boolean => /^[\p{Script=Latin}0-9 -]+$/u.test(w);

const PATTERNS = new Map<string, RegExp | null>();
function patternOf(w: string): RegExp | null {
  let p = PATTERNS.get(w);
  if (p === undefined) {
    p = isLatinWord(w) ? new RegExp(`(^|[^\\p{L}\\p{N}])${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(s|es|en)?($|[^\\p{L}\\p{N}])`, 'u') : null;
    PATTERNS.set(w, p);
  }
  return p;
}

/** Which listed words a text contains: Latin words as whole words (plural -s/-es/-en allowed), other scripts as substrings. */
export function wordsIn(text: string, words: readonly string[]): string[] {
  const t = text.normalize('NFC').toLowerCase();
  const hits: string[] = [];
  for (const w of words) {
    const re = patternOf(w);
    const found = re ? re.test(t) : t.includes(w);
    if (found) hits.push(w);
  }
  return hits;
}
