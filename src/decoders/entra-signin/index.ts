// Entra ID sign-in decoders: Graph signIn (v1.0/beta, SDK, admin-center JSON download), the Azure Monitor
// diagnostic export, Log Analytics / Sentinel tables (JSON rows and portal CSV), and the admin-center CSV
// download. All of them feed one normalizer (normalize.ts). Order matters for JSON matching: the specific
// shapes (diagnostic envelope, Log Analytics row) are listed before the bare Graph object.
import type { Decoder } from '../types.js';
import { diagSignInDecoder } from './diag.js';
import { graphSignInDecoder } from './graph.js';
import { laSignInCsvDecoder, laSignInDecoder } from './log-analytics.js';
import { portalAuthDetailsCsvDecoder, portalSignInCsvDecoder } from './portal-csv.js';

export const entraSignInDecoders: Decoder[] = [
  diagSignInDecoder,
  laSignInDecoder,
  graphSignInDecoder,
  laSignInCsvDecoder,
  portalSignInCsvDecoder,
  portalAuthDetailsCsvDecoder,
];

export { diagSignInDecoder, graphSignInDecoder, laSignInCsvDecoder, laSignInDecoder, portalAuthDetailsCsvDecoder, portalSignInCsvDecoder };
export { normalizeSignIn, type SignInInput } from './normalize.js';
