// Explicit registry of posture checks, in catalogue order (docs/audit.md). Adding a check = one module + one line.
import type { Check } from '../types.js';
import { A1 } from './A1.js';
import { A2 } from './A2.js';
import { A3 } from './A3.js';
import { A4 } from './A4.js';
import { A5 } from './A5.js';
import { A6 } from './A6.js';
import { A7 } from './A7.js';
import { A8 } from './A8.js';
import { A9 } from './A9.js';
import { A10 } from './A10.js';
import { A12 } from './A12.js';
import { A13 } from './A13.js';
import { A14 } from './A14.js';
import { A15 } from './A15.js';
import { B1 } from './B1.js';
import { B2 } from './B2.js';
import { B3 } from './B3.js';
import { B5 } from './B5.js';
import { B6 } from './B6.js';
import { B7 } from './B7.js';
import { B8 } from './B8.js';
import { B9 } from './B9.js';
import { B10 } from './B10.js';
import { B11 } from './B11.js';
import { B12 } from './B12.js';
import { B13 } from './B13.js';
import { C1 } from './C1.js';
import { C2 } from './C2.js';
import { C3 } from './C3.js';
import { C4 } from './C4.js';
import { C5 } from './C5.js';
import { C6 } from './C6.js';
import { C7 } from './C7.js';
import { D1 } from './D1.js';
import { D2 } from './D2.js';
import { D3 } from './D3.js';
import { D4 } from './D4.js';
import { D5 } from './D5.js';
import { D6 } from './D6.js';
import { D7 } from './D7.js';

export const checks: Check[] = [
  A1, A2, A3, A4, A5, A6, A7, A8, A9, A10, A12, A13, A14, A15,
  B1, B2, B3, B5, B6, B7, B8, B9, B10, B11, B12, B13,
  C1, C2, C3, C4, C5, C6, C7,
  D1, D2, D3, D4, D5, D6, D7,
];

/** Catalogue entries a snapshot cannot decide, and why (shown by docs/audit.md and `audit --list`). */
export const undecidable: { id: string; title: string; why: string }[] = [
  { id: 'A11', title: 'Smart lockout and custom banned passwords', why: 'lives in /beta/settings (Password Rule Settings), which is not part of the snapshot layout; unset values mean Microsoft defaults and cannot be told apart from explicit ones' },
  { id: 'B4', title: 'PIM approval and notifications', why: 'needs /beta/policies/roleManagementPolicyAssignments and each policy\'s rules, not part of the snapshot layout' },
];
