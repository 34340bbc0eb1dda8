// Microsoft first-party client apps people sign in with (portals, PowerShell modules, Office clients). They name
// the *client* of a sign-in, not something an attacker registered: they never link alerts (everyone uses them)
// and are never a containment target (disabling one breaks the tenant). Attackers cannot choose an appId, so an
// entry here can only ever suppress a link through Microsoft's own app. With --snapshot, apps owned by
// Microsoft's tenants are recognised from the configuration as well; without it, apps that many accounts sign
// in with are treated the same way (src/correlate/memory.ts sharedApp).
export const MICROSOFT_CLIENT_APPS: ReadonlyMap<string, string> = new Map([
  ['1b730954-1685-4b74-9bfd-dac224a7b894', 'Azure Active Directory PowerShell'],
  ['14d82eec-204b-4c2f-b7e8-296a70dab67e', 'Microsoft Graph Command Line Tools'],
  ['1950a258-227b-4e31-a9cf-717495945fc2', 'Microsoft Azure PowerShell'],
  ['04b07795-8ddb-461a-bbee-02f9e1bf7b46', 'Microsoft Azure CLI'],
  ['c44b4083-3bb0-49c1-b47d-974e53cbdf3c', 'Azure Portal'],
  ['00000006-0000-0ff1-ce00-000000000000', 'Microsoft Office 365 Portal'],
  ['4765445b-32c6-49b0-83e6-1d93765276ca', 'OfficeHome'],
  ['d3590ed6-52b3-4102-aeff-aad2292ab01c', 'Microsoft Office'],
  ['fb78d390-0c51-40cd-8e17-fdbfab77341b', 'Microsoft Exchange REST API Based Powershell'],
  ['a0c73c16-a7e3-4564-9a95-2bdf47383716', 'Microsoft Exchange Online Remote PowerShell'],
  ['27922004-5251-4030-b22d-91ecd9a37ea4', 'Outlook Mobile'],
  ['1fec8e78-bce4-4aaf-ab1b-5451cc387264', 'Microsoft Teams'],
  ['5e3ce6c0-2b1f-4285-8d4b-75ee78787346', 'Microsoft Teams Web Client'],
  ['2793995e-0a7d-40d7-bd35-6968ba142197', 'My Apps'],
  ['de8bc8b5-d9f9-48b1-a8ad-b748da725064', 'Graph Explorer'],
  ['29d9ed98-a469-4536-ade2-f981bc1d605e', 'Microsoft Authentication Broker'],
  ['0ec893e0-5785-4de6-99da-4ed124e5296c', 'Office UWP PWA'],
  ['ab9b8c07-8f02-4f72-87fa-80105867a763', 'OneDrive SyncEngine'],
  ['38aa3b87-a06d-4817-b275-7a316988d93b', 'Windows Sign In'],
  ['872cd9fa-d31f-45e0-9eab-6e460a02d1f1', 'Visual Studio'],
  ['ecd6b820-32c2-49b6-98a6-444530e5a77a', 'Microsoft Edge'],
  ['9ba1a5c7-f17a-4de9-a1f1-6178c8d51223', 'Microsoft Intune Company Portal'],
  ['89bee1f7-5e6e-4d8a-9f3d-ecd601259da7', 'Office365 Shell WCSS-Client'],
  ['00b41c95-dab0-4487-9791-b9d2c32c80f2', 'Office 365 Management'],
]);
