import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  auditAction,
  credentialChange,
  decodeModifiedProperties,
  extractGrants,
  parseConsentPermissions,
  resourceAppIdFor,
} from './entra-audit-ops.js';

test('auditAction: the operations the takeover chain leaves, in every spelling', () => {
  const cases: [string, string][] = [
    ['Add application', 'app.create'],
    ['Add application.', 'app.create'],
    ['Update application', 'app.update'],
    ['Update application – Certificates and secrets management ', 'app.update'], // no modified props: cannot tell
    ['Add service principal.', 'sp.create'],
    ['Update service principal', 'sp.update'],
    ['Add service principal credentials', 'sp.credential.add'],
    ['Remove service principal credentials.', 'sp.credential.remove'],
    ['CONSENT TO APPLICATION.', 'consent.grant'],
    ['Add delegated permission grant', 'delegated.permission.grant'],
    ['Add app role assignment to service principal', 'approle.assign'],
    ['Remove app role assignment from service principal', 'approle.remove'],
    ['Add owner to application', 'app.owner.add'],
    ['Add owner to service principal.', 'app.owner.add'],
    ['Add member to role', 'role.assign'],
    ['Add member to role.', 'role.assign'],
    ['Add eligible member to role', 'role.assign'],
    ['Add scoped member to role', 'role.assign'],
    ['Add member to role completed (PIM activation)', 'role.assign'],
    ['Add member to role in PIM requested (permanent)', 'other'],
    ['Remove member from role', 'role.remove'],
    ['Remove eligible member from role', 'role.remove'],
    ['Reset user password.', 'user.password.reset'],
    ['Reset password (by admin)', 'user.password.reset'],
    ['Change user password', 'user.password.change'],
    ['Update StsRefreshTokenValidFrom Timestamp.', 'user.sessions.revoke'],
    ['Set domain authentication', 'domain.federation.change'],
    ['Set federation settings on domain', 'domain.federation.change'],
    ['Update domain', 'domain.federation.change'],
    ['Add domain to company', 'domain.add'],
    ['Add unverified domain', 'domain.add'],
    ['Remove unverified domain', 'domain.remove'],
    ['Add user.', 'user.create'],
    ['Update user.', 'user.update'],
    ['Delete user', 'user.delete'],
    ['User registered security info', 'user.mfa.register'],
    ['Admin registered security info', 'user.mfa.register'],
    ['User deleted security info', 'user.mfa.remove'],
    ['Admin deleted security info', 'user.mfa.remove'],
    ['User changed default security info', 'user.mfa.update'],
    ['User started security info registration', 'other'],
    ['Disable Strong Authentication.', 'user.mfa.remove'],
    ['Update conditional access policy', 'policy.change'],
    ['Add conditional access policy', 'policy.change'],
    ['Update policy', 'policy.change'],
    ['Add policy', 'policy.change'],
    ['Update authorization policy', 'policy.change'],
    ['Add member to group', 'group.member.add'],
    ['Remove member from group.', 'group.member.remove'],
    ['Recover device local administrator password', 'other'],
    ['', 'other'],
  ];
  for (const [op, want] of cases) assert.equal(auditAction(op), want, op);
});

test('auditAction: credential operations decided from KeyDescription growth', () => {
  const added = decodeModifiedProperties([
    { displayName: 'KeyDescription', oldValue: '[]', newValue: '["[KeyIdentifier=AAAA-1,KeyType=Password,KeyUsage=Verify,DisplayName=s1]"]' },
  ]);
  const none = decodeModifiedProperties([{ displayName: 'KeyDescription', oldValue: '[]', newValue: '[]' }]);
  const removed = decodeModifiedProperties([
    { displayName: 'KeyDescription', oldValue: '["[KeyIdentifier=AAAA-1,KeyType=Password,KeyUsage=Verify,DisplayName=s1]"]', newValue: '[]' },
  ]);
  const op = 'Update application – Certificates and secrets management ';
  assert.equal(auditAction(op, added), 'app.credential.add');
  assert.equal(auditAction(op, none), 'app.update');
  assert.equal(auditAction(op, removed), 'app.credential.remove');
  assert.equal(auditAction('Create application – Certificates and secrets management ', none), 'app.update');
  assert.equal(auditAction('Update service principal', added), 'sp.credential.add');
  assert.equal(auditAction('Update application', decodeModifiedProperties([{ displayName: 'DisplayName', oldValue: '["a"]', newValue: '["b"]' }])), 'app.update');
});

test('auditAction: Update domain is a federation change only when federation properties moved', () => {
  const fed = decodeModifiedProperties([{ displayName: 'LiveType', oldValue: '["Managed"]', newValue: '["Federated"]' }]);
  const verified = decodeModifiedProperties([{ displayName: 'Included Updated Properties', oldValue: null, newValue: '"IsVerified"' }]);
  const included = decodeModifiedProperties([{ displayName: 'Included Updated Properties', oldValue: null, newValue: '"FederationBrandName, LiveType"' }]);
  assert.equal(auditAction('Update domain', fed), 'domain.federation.change');
  assert.equal(auditAction('Update domain', verified), 'domain.update');
  assert.equal(auditAction('Update domain', included), 'domain.federation.change');
});

test('credentialChange: rotation, object form, certificates with commas in the name', () => {
  const rot = credentialChange(
    decodeModifiedProperties([
      {
        displayName: 'KeyDescription',
        oldValue: '["[KeyIdentifier=11111111-1111-4111-8111-111111111111,KeyType=Password,KeyUsage=Verify,DisplayName=old]"]',
        newValue:
          '["[KeyIdentifier=22222222-2222-4222-8222-222222222222,KeyType=AsymmetricX509Cert,KeyUsage=Verify,DisplayName=CN=a, O=b]"]',
      },
    ]),
  );
  assert.deepEqual(rot, {
    added: [{ type: 'certificate', keyId: '22222222-2222-4222-8222-222222222222', displayName: 'CN=a, O=b', usage: 'Verify' }],
    removed: [{ type: 'password', keyId: '11111111-1111-4111-8111-111111111111', displayName: 'old', usage: 'Verify' }],
  });
  const obj = credentialChange({ PasswordCredentials: { old: [], new: [{ keyId: 'K1', displayName: 'api' }] } });
  assert.deepEqual(obj?.added, [{ type: 'password', keyId: 'k1', displayName: 'api' }]);
  assert.equal(credentialChange({ DisplayName: { new: ['x'] } }), undefined);
});

test('UAL shapes: Name/NewValue pairs, plain (non-JSON) values, pretty JSON with CRLF', () => {
  const m = decodeModifiedProperties([
    { Name: 'Role.ObjectID', NewValue: '54fc7176-29ef-4b41-808f-3cdeb8010649', OldValue: '' },
    { Name: 'Role.DisplayName', NewValue: 'Global Administrator', OldValue: '' },
    { Name: 'Role.TemplateId', NewValue: '62E90394-69F5-4237-9190-012177145E10', OldValue: '' },
    { Name: 'AppId', NewValue: '[\r\n  "TEST_APP_Id"\r\n]', OldValue: '[]' },
  ]);
  assert.deepEqual(m['Role.ObjectID'], { new: '54fc7176-29ef-4b41-808f-3cdeb8010649' }, 'OldValue "" is absent');
  assert.deepEqual(m.AppId, { old: [], new: ['TEST_APP_Id'] });
  assert.deepEqual(extractGrants('Add member to role.', m), {
    roles: ['Global Administrator'],
    roleTemplateIds: ['62e90394-69f5-4237-9190-012177145e10'],
    roleAssignment: 'active',
  });
});

test('UAL consent: plain "False" strings and the Permissions text', () => {
  const m = decodeModifiedProperties([
    { Name: 'ConsentContext.IsAdminConsent', NewValue: 'False', OldValue: '' },
    { Name: 'ConsentContext.IsAppOnly', NewValue: 'False', OldValue: '' },
    { Name: 'ConsentContext.OnBehalfOfAll', NewValue: 'False', OldValue: '' },
    {
      Name: 'ConsentAction.Permissions',
      NewValue:
        '[] => [[Id: REDACTED, ClientId: 33333333-3333-3333-3333-333333333333, PrincipalId: 55555555-5555-5555-5555-555555555555, ResourceId: 22222222-1111-1111-1111-222222222222, ConsentType: Principal, Scope:  openid profile email offline_access, CreatedDateTime: , LastModifiedDateTime ]]; ',
      OldValue: '',
    },
  ]);
  assert.deepEqual(extractGrants('Consent to application.', m), {
    permissions: ['openid', 'profile', 'email', 'offline_access'],
    adminConsent: false,
    appOnly: false,
    consentType: 'Principal',
    allPrincipals: false,
    resourceSpIds: ['22222222-1111-1111-1111-222222222222'],
  });
});

test('parseConsentPermissions: several grants, old => new keeps only the new side', () => {
  const g = parseConsentPermissions(
    '[[Id: a, ClientId: c, ResourceId: r1, ConsentType: AllPrincipals, Scope: User.Read]] => [[Id: a, ClientId: c, PrincipalId: , ResourceId: r1, ConsentType: AllPrincipals, Scope: User.Read Mail.Send], [Id: b, ClientId: c, ResourceId: r2, ConsentType: AllPrincipals, Scope: EWS.AccessAsUser.All]]; ',
  );
  assert.deepEqual(g.map((x) => x.scopes), [['User.Read', 'Mail.Send'], ['EWS.AccessAsUser.All']]);
  assert.deepEqual(g.map((x) => x.resourceId), ['r1', 'r2']);
  assert.deepEqual(parseConsentPermissions(''), []);
  assert.deepEqual(parseConsentPermissions(undefined), []);
});

test('app-role grants: value, id-only fallback to the known name, grantee and resource', () => {
  const m = decodeModifiedProperties([
    { displayName: 'AppRole.Id', oldValue: null, newValue: '"DC50A0FB-09A3-484D-BE87-E023B12C6440"' },
    { displayName: 'ServicePrincipal.ObjectID', oldValue: null, newValue: '"bbbb"' },
    { displayName: 'ServicePrincipal.AppId', oldValue: null, newValue: '"cccc"' },
  ]);
  const g = extractGrants('Add app role assignment to service principal', m, {
    targets: [
      { type: 'ServicePrincipal', id: 'aaaa', name: 'Office 365 Exchange Online' },
      { type: 'ServicePrincipal', id: 'bbbb', name: 'cccc' },
    ],
  });
  assert.deepEqual(g.permissions, ['Exchange.ManageAsApp']);
  assert.deepEqual(g.grantee, { spId: 'bbbb', appId: 'cccc' });
  assert.equal(g.resourceSpId, 'aaaa');
  assert.equal(g.resourceAppId, '00000002-0000-0ff1-ce00-000000000000');
});

test('delegated permission grant: scope list and consent type', () => {
  const m = decodeModifiedProperties([
    { displayName: 'DelegatedPermissionGrant.Scope', oldValue: null, newValue: '" Mail.Read offline_access"' },
    { displayName: 'DelegatedPermissionGrant.ConsentType', oldValue: null, newValue: '"AllPrincipals"' },
    { displayName: 'TargetId.ServicePrincipalNames', oldValue: null, newValue: '"00000003-0000-0000-c000-000000000000;https://graph.microsoft.com"' },
  ]);
  const g = extractGrants('Add delegated permission grant', m);
  assert.deepEqual([g.permissions, g.allPrincipals, g.consentType, g.resourceAppId], [
    ['Mail.Read', 'offline_access'],
    true,
    'AllPrincipals',
    '00000003-0000-0000-c000-000000000000',
  ]);
});

test('resourceAppIdFor: names, SPN lists, nothing', () => {
  assert.equal(resourceAppIdFor('Microsoft Graph'), '00000003-0000-0000-c000-000000000000');
  assert.equal(resourceAppIdFor('https://outlook.office.com;Microsoft.Exchange'), '00000002-0000-0ff1-ce00-000000000000');
  assert.equal(resourceAppIdFor(['https://x.example', 'A1B2C3D4-0000-4000-8000-000000000001']), 'a1b2c3d4-0000-4000-8000-000000000001');
  assert.equal(resourceAppIdFor('Contoso HR'), undefined);
  assert.equal(resourceAppIdFor(null), undefined);
});

test('extractGrants never throws on garbage', () => {
  for (const v of [null, 5, 'x', [1, 2], { a: 1 }]) {
    const m = decodeModifiedProperties(v);
    assert.deepEqual(m, {});
    assert.deepEqual(extractGrants('Consent to application', m), {});
  }
});
