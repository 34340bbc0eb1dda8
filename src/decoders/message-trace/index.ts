// Exchange Online message trace decoders. Every format becomes one Event per recipient (source
// 'exchange.messagetrace', action mail.send / mail.receive); see normalize.ts and docs/formats/message-trace.md.
export { rwsJsonDecoder, RWS_ID } from './rws-json.js';
export { graphMessageTraceDecoder, GRAPH_ID } from './graph-json.js';
export { powershellCsvDecoder, PS_CSV_ID } from './csv-powershell.js';
export { eacCsvDecoder, EAC_CSV_ID } from './csv-eac.js';
export { historicalCsvDecoder, HISTORICAL_CSV_ID } from './csv-historical.js';
