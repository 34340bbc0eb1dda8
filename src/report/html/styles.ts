// The report's one stylesheet. It is inlined and allowed by the Content-Security-Policy through its SHA-256 hash
// (csp.ts), so the page needs no 'unsafe-inline' and no network: system fonts only, colours for severities and
// entity types, SVG styling by class (never a style attribute, which the CSP would block).
export const STYLESHEET = `
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#fff;--panel:#f6f8fa;--accent:#0969da;
--crit:#8b1a1a;--high:#c4320a;--med:#9a6700;--low:#0969da;--info:#59636e}
*{box-sizing:border-box}
html{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Liberation Sans",Arial,sans-serif;color:var(--fg);background:var(--bg)}
body{margin:0 auto;max-width:1280px;padding:0 24px 48px}
code,pre,.tw-mono{font-family:ui-monospace,"SFMono-Regular","DejaVu Sans Mono","Liberation Mono",Menlo,Consolas,monospace;font-size:12.5px}
h1{font-size:22px;margin:0}
h2{font-size:19px;margin:32px 0 10px;padding-bottom:4px;border-bottom:1px solid var(--line)}
h3{font-size:15px;margin:20px 0 8px}
p{margin:6px 0}
a{color:var(--accent)}
bdi,td,li,dd,summary,.tw-full,h1,h2,h3{overflow-wrap:break-word}
.tw-ctl{display:inline-block;padding:0 2px;margin:0 1px;border:1px solid #cf222e;border-radius:3px;color:#cf222e;background:#fff0f0;font:11px/1.3 ui-monospace,monospace}
.tw-cut,.tw-muted{color:var(--muted)}
.tw-more{display:inline}
.tw-more>summary{display:inline;cursor:pointer;color:var(--accent);list-style:none}
.tw-more[open]>summary{display:block}
.tw-full{max-height:24em;overflow:auto;padding:6px;background:var(--panel);border:1px solid var(--line);border-radius:4px}
header.tw-top{display:flex;flex-wrap:wrap;gap:12px 32px;align-items:flex-end;justify-content:space-between;padding:20px 0 14px;border-bottom:3px solid var(--fg)}
.tw-brand{font-weight:700;letter-spacing:.02em}
.tw-meta{color:var(--muted);font-size:12.5px;display:flex;flex-wrap:wrap;gap:4px 18px}
.tw-kpis{display:flex;flex-wrap:wrap;gap:10px;margin:16px 0}
.tw-kpi{border:1px solid var(--line);border-radius:6px;padding:8px 14px;min-width:110px;background:var(--panel)}
.tw-kpi b{display:block;font-size:20px}
.tw-kpi span{color:var(--muted);font-size:12px}
nav.tw-toc{margin:10px 0 0;padding:10px 14px;background:var(--panel);border:1px solid var(--line);border-radius:6px}
nav.tw-toc ol{margin:4px 0;padding-left:22px}
.tw-sev{display:inline-block;border-radius:10px;padding:0 8px;font-size:11.5px;font-weight:700;text-transform:uppercase;color:#fff;white-space:nowrap;vertical-align:1px}
.tw-sev-critical{background:var(--crit)}.tw-sev-high{background:var(--high)}.tw-sev-medium{background:var(--med)}
.tw-sev-low{background:var(--low)}.tw-sev-informational,.tw-sev-unknown{background:var(--info)}
article.tw-incident{margin:28px 0;border:1px solid var(--line);border-radius:8px;padding:0 18px 18px}
article.tw-incident>header{margin:0 -18px;padding:14px 18px;border-bottom:1px solid var(--line);border-radius:8px 8px 0 0;background:var(--panel)}
article.tw-incident.tw-border-critical{border-left:6px solid var(--crit)}
article.tw-incident.tw-border-high{border-left:6px solid var(--high)}
article.tw-incident.tw-border-medium{border-left:6px solid var(--med)}
.tw-incident h2{border:0;margin:4px 0;padding:0}
.tw-id{font-family:ui-monospace,monospace;color:var(--muted);font-size:12.5px}
.tw-narrative{max-width:95ch;margin-top:8px}
.tw-tactics{display:grid;grid-template-columns:repeat(14,minmax(0,1fr));gap:3px;margin:14px 0 4px}
.tw-tactic{border:1px solid var(--line);border-radius:4px;padding:5px 1px;font-size:10px;overflow-wrap:anywhere;line-height:1.2;text-align:center;color:#8c959f;background:#fff;min-height:44px}
.tw-tactic.tw-on{background:#ffebe9;border-color:#cf222e;color:#82071e;font-weight:600}
.tw-tactic small{display:block;font-weight:400;color:inherit;opacity:.8}
.tw-techniques{font-size:12px;color:var(--muted)}
ol.tw-timeline{list-style:none;margin:0;padding:0 0 0 18px;border-left:2px solid var(--line)}
ol.tw-timeline>li{position:relative;margin:0 0 14px;padding-left:14px}
ol.tw-timeline>li::before{content:"";position:absolute;left:-26px;top:5px;width:12px;height:12px;border-radius:50%;background:var(--info);border:2px solid #fff}
ol.tw-timeline>li.tw-dot-critical::before{background:var(--crit)}ol.tw-timeline>li.tw-dot-high::before{background:var(--high)}
ol.tw-timeline>li.tw-dot-medium::before{background:var(--med)}ol.tw-timeline>li.tw-dot-low::before{background:var(--low)}
.tw-when{font-family:ui-monospace,monospace;font-size:12px;color:var(--muted);white-space:nowrap}
.tw-rule{font-family:ui-monospace,monospace;font-size:12px;background:var(--panel);border:1px solid var(--line);border-radius:4px;padding:0 4px}
.tw-because{margin-top:4px;padding:4px 8px;border-left:3px solid var(--accent);background:#f0f6ff;font-size:13px}
.tw-because b{color:var(--accent)}
.tw-chip{display:inline-block;border:1px solid var(--line);border-radius:10px;padding:0 7px;font-size:11.5px;background:#fff;margin-right:4px}
figure{margin:10px 0}
figure.tw-map{max-width:880px}
figcaption{font-size:12px;color:var(--muted)}
svg.tw-svg{display:block;width:100%;height:auto;border:1px solid var(--line);border-radius:6px;background:#fff}
.tw-edge{fill:none;stroke:#8c959f;stroke-width:1.4}
.tw-edge-label{font:10px system-ui,sans-serif;fill:#59636e}
.tw-node rect{stroke-width:1.5;fill:#fff}
.tw-node text{font:12px system-ui,sans-serif;fill:#1f2328}
.tw-node .tw-node-type{font-size:9.5px;fill:#59636e;text-transform:uppercase;letter-spacing:.04em}
.tw-node.tw-primary rect{stroke-width:3}
.tw-col-label{font:600 11px system-ui,sans-serif;fill:#59636e;text-transform:uppercase;letter-spacing:.06em}
.tw-t-user rect{stroke:#0969da}.tw-t-ip rect,.tw-t-asn rect,.tw-t-device rect,.tw-t-session rect{stroke:#6e7781}
.tw-t-app rect,.tw-t-servicePrincipal rect{stroke:#8250df}.tw-t-role rect{stroke:#bf8700}
.tw-t-connector rect,.tw-t-transportRule rect,.tw-t-inboxRule rect,.tw-t-mailbox rect,.tw-t-domain rect{stroke:#1a7f37}
.tw-t-tenant rect,.tw-t-more rect{stroke:#8c959f;stroke-dasharray:4 3}
.tw-sea{fill:#eaf2f8}.tw-land{fill:#d8dee4;stroke:#afb8c1;stroke-width:.6px;fill-rule:evenodd}
.tw-grat{stroke:#d0dbe5;stroke-width:.5px;fill:none}
.tw-leg{fill:none;stroke:#cf222e;stroke-width:2.5px;stroke-linecap:round}
.tw-leg-end{fill:#cf222e;stroke:#fff;stroke-width:1px}.tw-leg-start{fill:#fff;stroke:#cf222e;stroke-width:2px}
.tw-leg-label{font-family:system-ui,sans-serif;fill:#1f2328;paint-order:stroke;stroke:#fff;stroke-linejoin:round}
table{border-collapse:collapse;width:100%;margin:6px 0 10px;font-size:13px}
th,td{border:1px solid var(--line);padding:4px 7px;text-align:left;vertical-align:top}
th{background:var(--panel);font-weight:600;font-size:12px}
td.tw-num,th.tw-num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.tw-nowrap{white-space:nowrap}
ol.tw-containment{padding-left:0;list-style:none;counter-reset:step}
ol.tw-containment>li{border:1px solid var(--line);border-radius:6px;padding:8px 12px;margin:0 0 8px}
ol.tw-containment>li>label{font-weight:600;display:flex;gap:8px;align-items:baseline}
ol.tw-containment input{transform:translateY(1px)}
.tw-why{margin:4px 0 4px 24px;color:#3b434b}
.tw-cmd{margin:4px 0 0 24px}
pre{margin:4px 0;padding:8px;background:var(--panel);border:1px solid var(--line);border-radius:4px;white-space:pre-wrap;overflow-wrap:anywhere;max-height:32em;overflow:auto}
details.tw-raw>summary,details.tw-alert>summary{cursor:pointer}
details.tw-alert{border:1px solid var(--line);border-radius:6px;margin:0 0 8px;padding:6px 10px}
details.tw-alert>summary{font-weight:600}
.tw-note{border-left:3px solid var(--med);padding:2px 8px;background:#fff8c5}
.tw-status-evaluated{color:#1a7f37;font-weight:600}.tw-status-not-evaluated{color:#cf222e;font-weight:600}.tw-status-disabled{color:var(--muted)}
footer{margin-top:40px;padding-top:10px;border-top:1px solid var(--line);color:var(--muted);font-size:12px}
.tw-audit-table .tw-status-fail td:nth-child(3){color:#cf222e;font-weight:700}
.tw-audit-table .tw-status-warn td:nth-child(3){color:#9a6700;font-weight:700}
.tw-audit-table .tw-status-pass td:nth-child(3){color:#1a7f37}
.tw-audit-detail td{background:#fbfcfd;font-size:12.5px}
.tw-exempt-badge,.tw-expected{border:1px solid var(--line);border-radius:8px;padding:0 5px;font-size:11px;background:#fff}
@media print{body{max-width:none;padding:0}nav.tw-toc{display:none}article.tw-incident{break-inside:avoid-page}pre{max-height:none}}
`;
