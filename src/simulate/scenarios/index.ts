// Scenario registry: adding a scenario = one module here plus one line in SCENARIOS.
import { becInboxRule } from './bec-inbox-rule.js';
import { campaign } from './campaign.js';
import { consentPhishing } from './consent-phishing.js';
import { insiderApp } from './insider-app.js';
import { spray } from './spray.js';
import { tokenTheft } from './token-theft.js';
import type { Scenario } from './types.js';

export const SCENARIOS: readonly Scenario[] = [campaign, spray, consentPhishing, tokenTheft, becInboxRule, insiderApp];

export const scenarioByName = (name: string): Scenario | undefined => SCENARIOS.find((s) => s.name === name);
