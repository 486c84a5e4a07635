// statetrail dashboard. Plain DOM, no framework, no network but this server.
// Every string that comes from the API (subjects, branch names, session names, lock holders, keys) is attacker-
// chosen: it only ever reaches the page as a text node or an attribute value, never as markup. This file must not
// use innerHTML, outerHTML, insertAdjacentHTML, document.write or eval (a test checks).
'use strict';

(function () {
  const params = new URLSearchParams(window.location.search);
  // Refresh every 30 s; ?refresh=N (1..3600 seconds) changes it for a wall screen or a test.
  const REFRESH_MS = 1000 * Math.min(3600, Math.max(1, Number(params.get('refresh')) || 30));
  const SEVERITIES = ['low', 'medium', 'high', 'critical'];
  let refreshTimer = null;
  let pagedBeyondFirst = false;

  // ---- DOM helpers -------------------------------------------------------------------------------------------------

  /** el('a', {href: '/x', class: 'y'}, 'text', child…): children are text or nodes; strings never parse as HTML. */
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k === 'href') e.setAttribute('href', localHref(v));
      else e.setAttribute(k, String(v));
    }
    append(e, children);
    return e;
  }

  function append(parent, children) {
    for (const c of children.flat(Infinity)) {
      if (c === null || c === undefined || c === false) continue;
      parent.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return parent;
  }

  const SVG = 'http://www.w3.org/2000/svg';
  function svg(tag, attrs, ...children) {
    const e = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
    for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return e;
  }

  /** Links are built here from our own paths; anything else (javascript:, //host) becomes '#'. */
  function localHref(h) {
    const s = String(h);
    return s.startsWith('/') && !s.startsWith('//') ? s : '#';
  }

  function replace(id, ...children) {
    const node = document.getElementById(id);
    if (!node) return null;
    node.replaceChildren();
    append(node, children);
    return node;
  }

  function link(path, query, text, cls) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query || {})) if (v) q.set(k, v);
    const qs = q.toString();
    return el('a', {href: path + (qs ? '?' + qs : ''), class: cls}, text);
  }

  const runLink = (key, text) => key ? link('/run', {key}, text || key, 'mono') : '—';
  const sessionLink = (key, text) => key ? link('/run', {session: key}, text || key, 'mono') : '—';
  const stateLink = (key, text) => key ? link('/state', {key}, text || key, 'mono') : '—';

  function time(iso) {
    if (!iso) return '—';
    return String(iso).replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  }

  function age(seconds) {
    const s = Number(seconds) || 0;
    if (s < 3600) return Math.floor(s / 60) + ' min';
    if (s < 86400) return Math.floor(s / 3600) + ' h ' + Math.floor(s % 3600 / 60) + ' min';
    return Math.floor(s / 86400) + ' d ' + Math.floor(s % 86400 / 3600) + ' h';
  }

  function roleName(arn) {
    if (!arn) return null;
    const i = arn.indexOf(':role/');
    if (i >= 0) return arn.slice(i + 6);
    const u = arn.indexOf(':user/');
    return u >= 0 ? 'user/' + arn.slice(u + 6) : arn;
  }

  // data-sort: severities sort by rank, not by name.
  const badge = (sev) => el('span', {class: 'sev sev-' + (SEVERITIES.includes(sev) ? sev : 'low'), 'data-sort': SEVERITIES.indexOf(sev)}, sev || '?');
  const mono = (text) => el('span', {class: 'mono'}, text === null || text === undefined ? '—' : text);
  const muted = (text) => el('span', {class: 'muted'}, text);

  // Every table sorts by a click on a column's header (a second click reverses): by a cell's data-sort when it has
  // one, else by its text (times read in order as text). The server's order stays until a header is clicked.
  function table(headers, rows, cls) {
    if (!rows.length) return el('p', {class: 'empty'}, 'Nothing here.');
    const body = el('tbody', {}, rows.map((cells) => el('tr', {}, cells.map((c) => el('td', {}, c)))));
    const ths = headers.map((h, col) => {
      const button = el('button', {type: 'button', class: 'sort', title: 'Sort by ' + h}, h);
      const th = el('th', {'aria-sort': 'none'}, button);
      button.addEventListener('click', () => sortRows(body, ths, col));
      return th;
    });
    return el('table', {class: cls || 'list'}, el('thead', {}, el('tr', {}, ths)), body);
  }

  function sortKey(row, col) {
    const cell = row.children[col];
    const marked = cell && cell.querySelector('[data-sort]');
    return marked ? marked.getAttribute('data-sort') : (cell ? cell.textContent.trim() : '');
  }

  function sortRows(body, ths, col) {
    const ascending = ths[col].getAttribute('aria-sort') !== 'ascending';
    ths.forEach((th, i) => th.setAttribute('aria-sort', i === col ? (ascending ? 'ascending' : 'descending') : 'none'));
    const rows = Array.from(body.children);
    rows.sort((x, y) => {
      const a = sortKey(x, col), b = sortKey(y, col);
      const na = Number(a), nb = Number(b);
      const c = a !== '' && b !== '' && !isNaN(na) && !isNaN(nb) ? na - nb : a.localeCompare(b);
      return ascending ? c : -c;
    });
    rows.forEach((r) => body.append(r));
  }

  // ---- API ---------------------------------------------------------------------------------------------------------

  async function api(path, query) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query || {})) if (v !== null && v !== undefined && v !== '') q.set(k, v);
    const qs = q.toString();
    const res = await fetch(path + (qs ? '?' + qs : ''), {headers: {Accept: 'application/json'}, credentials: 'same-origin'});
    let body = null;
    try { body = await res.json(); } catch (e) { body = null; }
    if (!res.ok) {
      const msg = body && body.error ? body.error.message : res.status + ' ' + res.statusText;
      const err = new Error(msg);
      err.status = res.status;
      throw err;
    }
    return body;
  }

  function showError(e) {
    const box = document.getElementById('error');
    box.hidden = false;
    box.textContent = e && e.message ? e.message : String(e);
  }

  function clearError() {
    const box = document.getElementById('error');
    box.hidden = true;
    box.textContent = '';
  }

  /** Fills a filter form from the URL; submitting it reloads the page with the form's values as the query. */
  function bindFilters(names) {
    const form = document.getElementById('filters');
    if (!form) return {};
    const values = {};
    for (const name of names) {
      const input = form.elements.namedItem(name);
      const v = params.get(name);
      if (input && v !== null) input.value = v;
      values[name] = input ? input.value : v;
    }
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const q = new URLSearchParams();
      for (const name of names) {
        const input = form.elements.namedItem(name);
        if (input && input.value.trim()) q.set(name, input.value.trim());
      }
      window.location.search = q.toString();
    });
    return values;
  }

  function setCsv(path, query) {
    const a = document.getElementById('csv');
    if (!a) return;
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v) q.set(k, v);
    a.setAttribute('href', path + (q.toString() ? '?' + q : ''));
  }

  // ---- what a run claims, and the force-unlock verdict --------------------------------------------------------------

  // Claims are set by the run's own client (session tags, user agent, session name): always labelled as claimed,
  // next to the subject STS verified, never in its place.
  const CLAIM_FIELDS = [['runId', 'run'], ['runAttempt', 'attempt'], ['workflow', 'workflow'], ['actor', 'actor'],
    ['commit', 'commit'], ['branch', 'branch'], ['repository', 'repository']];
  const GITHUB_RUN = /^https:\/\/[A-Za-z0-9.-]+(:[0-9]+)?\/[A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9._-]+\/actions\/runs\/[0-9]+(\/attempts\/[0-9]+)?$/;

  /** A finding's flat details (claims.runId, claims.runId.source, claims.url) as a run's claims object. */
  function claimsOfDetails(d) {
    if (!d) return null;
    const c = {};
    for (const [k] of CLAIM_FIELDS) {
      if (d['claims.' + k]) c[k] = {value: d['claims.' + k], source: d['claims.' + k + '.source']};
    }
    if (d['claims.url']) c.url = d['claims.url'];
    return c;
  }

  /** The claimed run's GitHub page: only a URL of exactly that shape becomes a link, anything else stays text. */
  function githubRunLink(url) {
    if (!url) return null;
    if (!GITHUB_RUN.test(url)) return mono(url);
    const a = document.createElement('a');
    a.setAttribute('href', url);
    a.setAttribute('rel', 'noopener noreferrer');
    a.setAttribute('class', 'github-run');
    a.append(document.createTextNode('run on GitHub'));
    return a;
  }

  function claimedLine(c) {
    if (!c) return null;
    const parts = [];
    for (const [k, label] of CLAIM_FIELDS) {
      if (c[k] && c[k].value) {
        parts.push(el('span', {class: 'claim', title: 'from ' + (c[k].source || 'unknown')}, label + ' ', mono(c[k].value)));
      }
    }
    if (!parts.length && !c.url) return null;
    const items = parts.flatMap((p, i) => i ? [' · ', p] : [p]);
    const url = githubRunLink(c.url);
    return el('div', {class: 'claimed muted small'}, 'Claimed by the run, not verified: ', items, url ? [parts.length ? ' · ' : '', url] : null);
  }

  /** A stale lock's verdict: may it be forced open, and the exact command once the lock's ID was read. */
  function verdictLine(d) {
    if (!d || !d.verdict) return null;
    return el('div', {class: 'verdict small'},
      el('strong', {}, 'Force-unlock? '), mono(d.verdict),
      ' · holder ended: ', mono(d.holderEnded || 'unknown'),
      ' · wrote the state after the lock: ', mono(d.wroteStateAfterLock || 'unknown'),
      d.holderLastCall ? [' · its last call ', time(d.holderLastCall)] : null,
      d.advice ? el('div', {class: 'muted'}, d.advice) : null,
      d.forceUnlock ? el('div', {}, 'Command: ', el('code', {class: 'mono'}, d.forceUnlock)) : null);
  }

  // ---- findings list (shared) --------------------------------------------------------------------------------------

  function findingRows(items, opts) {
    return items.map((f) => [
      el('span', {class: 'nowrap'}, time(f.time)),
      badge(f.severity),
      // The finding's own page: its evidence, call by call.
      f.id ? link('/finding', {id: f.id}, f.type, 'type') : el('span', {class: 'type'}, f.type),
      el('div', {class: 'finding-what'},
        el('div', {}, f.stateKey ? stateLink(f.stateKey) : mono(f.roleArn)),
        el('div', {class: 'summary'}, f.summary || ''),
        f.details && f.details.withdrawn
          ? el('div', {class: 'withdrawn'}, 'Withdrawn' + (f.details.withdrawnAt ? ' ' + time(f.details.withdrawnAt) : '') + ': ' + f.details.withdrawn)
          : null,
        // Accepted by the policy (suppressions:): listed, never paged; the entry's line and reason say why.
        f.details && f.details.suppressedBy
          ? el('div', {class: 'suppressed'}, 'Suppressed by the policy, ' + f.details.suppressedBy)
          : null,
        verdictLine(f.details),
        statusLine(f),
        opts && opts.triage ? triageForm(f) : null),
      el('div', {},
        f.details && f.details.changedBy
          ? el('div', {class: 'changed-by', title: f.details.changedBy}, 'changed by ', el('strong', {}, principalName(f.details.changedBy)))
          : null,
        f.subject ? el('div', {class: 'subject'}, mono(f.subject)) : null,
        claimedLine(claimsOfDetails(f.details)),
        !opts || !opts.noRun ? el('div', {}, f.runKey ? runLink(f.runKey, 'run ' + f.runKey) : (f.accessKeyId ? sessionLink(f.accessKeyId) : '')) : null),
      el('span', {class: 'mono small'}, (f.eventIds || []).join(' ')),
    ]);
  }

  // A person by name: an IAM user's name, or an assumed role's session name (under IAM Identity Center, the person's
  // sign-in) with its role; the whole ARN is on hover. Anything else is shown as it is.
  function principalName(arn) {
    const m = /^arn:[^:]+:(?:sts|iam)::\d*:(assumed-role|user)\/(.+)$/.exec(arn || '');
    if (!m) return arn;
    if (m[1] === 'user') return m[2].slice(m[2].lastIndexOf('/') + 1);
    const slash = m[2].indexOf('/');
    return slash < 0 ? m[2] : m[2].slice(slash + 1) + ' (' + m[2].slice(0, slash) + ')';
  }

  // ---- triage: a finding's status ----------------------------------------------------------------------------------

  // Who changed it and the note are free text (an analyst's, an IAM principal's name): set as text, never as markup.
  function statusLine(f) {
    const c = f.statusChange;
    return el('div', {class: 'status status-' + (f.status || 'open')}, 'Status: ', el('strong', {}, f.status || 'open'),
      c ? el('span', {title: c.by}, ' by ' + principalName(c.by) + ' ' + time(c.at)) : null,
      c && c.note ? el('span', {class: 'note'}, ': ' + c.note) : null);
  }

  const STATUSES = [['acknowledged', 'Acknowledge'], ['resolved', 'Resolve'], ['false-positive', 'False positive'], ['open', 'Reopen']];

  /** Controls that change a finding's status; the note is required to resolve it or call it a false positive. */
  function triageForm(f) {
    const select = el('select', {name: 'status', 'aria-label': 'New status of ' + f.id},
      ...STATUSES.map(([v, label]) => el('option', {value: v}, label)));
    const note = el('input', {name: 'note', placeholder: 'note (why)', size: '24', maxlength: '2000', spellcheck: 'false',
      'aria-label': 'Note for ' + f.id});
    const form = el('form', {class: 'triage', 'data-finding': f.id}, select, note, el('button', {type: 'submit'}, 'Save'));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      try {
        clearError();
        await setStatus(f.id, select.value, note.value);
        await load();
      } catch (e) {
        showError(e);
      }
    });
    return form;
  }

  /** POST /api/findings/{id}/status with the token this server's page carries (its CSRF protection). */
  async function setStatus(id, status, note) {
    const token = document.querySelector('meta[name="statetrail-csrf"]');
    const res = await fetch('/api/findings/' + encodeURIComponent(id) + '/status', {
      method: 'POST', credentials: 'same-origin',
      headers: {'Content-Type': 'application/json', Accept: 'application/json', 'X-Statetrail-Csrf': token ? token.content : ''},
      body: JSON.stringify({status: status, note: note && note.trim() ? note.trim() : null}),
    });
    let body = null;
    try { body = await res.json(); } catch (e) { body = null; }
    if (!res.ok) throw new Error(body && body.error ? body.error.message : res.status + ' ' + res.statusText);
    return body;
  }

  function findingsTable(items, opts) {
    const rows = findingRows(items, opts);
    return table(['Time', 'Severity', 'Type', 'What', 'Who', 'Evidence (event IDs)'], rows, 'list findings');
  }

  // ---- overview ----------------------------------------------------------------------------------------------------

  async function overview() {
    const f = bindFilters(['repository', 'days', 'hours', 'to']);
    const data = await api('/api/overview', {repository: f.repository, days: f.days, hours: f.hours, to: f.to});
    drawChart(data.chart);
    replace('chart-range', time(data.chart.from) + ' – ' + time(data.chart.to));
    replace('latest', findingsTable(data.latest));
    replace('locks', locksTable(data.locks));
    const hours = Number(f.hours || 24);
    replace('runs-title', 'Runs in the last ' + (hours % 24 === 0 && hours > 24 ? (hours / 24) + ' days' : hours + ' hours') + ' by repository');
    const repos = data.runs.repositories;
    replace('runs', table(['Repository', 'Runs', 'Findings', 'Latest run', 'Last activity'], repos.map((r) => [
      r.repository ? link('/runs', {repository: r.repository, from: data.runs.from, to: data.runs.to}, r.repository) : muted('not federated'),
      String(r.runs),
      r.findings ? el('strong', {class: 'bad'}, String(r.findings)) : '0',
      el('div', {}, runLink(r.latestRunKey), el('div', {class: 'subject'}, mono(r.latestSubject))),
      time(r.lastActivity),
    ]), 'list runs-by-repo'));
  }

  function locksTable(locks) {
    return table(['State', 'Age', 'Held by', 'Run', 'Operation'], locks.map((l) => [
      el('div', {}, stateLink(l.lock.stateKey), el('div', {class: 'muted small'}, l.lock.lockStore || '')),
      el('span', {class: 'nowrap'}, age(l.ageSeconds), ' ', l.staleFindingId ? el('span', {class: 'stuck'}, 'stuck') : null,
        el('div', {class: 'muted small'}, 'since ' + time(l.lock.acquiredAt))),
      el('div', {},
        el('div', {class: 'mono who'}, l.lock.details && l.lock.details.who ? l.lock.details.who : '(lock body not read)'),
        el('div', {class: 'muted small mono'}, l.lock.subject || '')),
      runLink(l.lock.holderRunKey),
      l.lock.details ? el('div', {}, l.lock.details.operation || '—', el('div', {class: 'muted small mono'}, l.lock.details.id || '')) : '—',
    ]), 'list locks');
  }

  function drawChart(chart) {
    const days = chart.days;
    const W = 760, H = 220, left = 36, bottom = 28, top = 10, right = 8;
    const max = Math.max(1, ...days.map((d) => SEVERITIES.reduce((s, k) => s + d[k], 0)));
    const ticks = niceTicks(max);
    const yMax = ticks[ticks.length - 1];
    const plotW = W - left - right, plotH = H - top - bottom;
    const bw = plotW / days.length;
    const root = svg('svg', {viewBox: `0 0 ${W} ${H}`, role: 'img', class: 'chart-svg', 'aria-label': 'Findings per day by severity'});
    for (const t of ticks) {
      const y = top + plotH - (t / yMax) * plotH;
      root.append(svg('line', {x1: left, x2: W - right, y1: y, y2: y, class: 'grid-line'}));
      root.append(svg('text', {x: left - 6, y: y + 4, 'text-anchor': 'end', class: 'axis'}, String(t)));
    }
    const labelEvery = Math.ceil(days.length / 10);
    days.forEach((d, i) => {
      let y = top + plotH;
      const x = left + i * bw + bw * 0.15;
      const w = Math.max(1, bw * 0.7);
      for (const sev of SEVERITIES) {
        const n = d[sev];
        if (!n) continue;
        const h = (n / yMax) * plotH;
        y -= h;
        const r = svg('rect', {x: x, y: y, width: w, height: h, class: 'bar bar-' + sev, 'data-day': d.day, 'data-severity': sev});
        r.append(svg('title', {}, `${d.day}: ${n} ${sev}`));
        root.append(r);
      }
      if (i % labelEvery === 0) {
        root.append(svg('text', {x: left + i * bw + bw / 2, y: H - 8, 'text-anchor': 'middle', class: 'axis'}, d.day.slice(5)));
      }
    });
    root.append(svg('line', {x1: left, x2: W - right, y1: top + plotH, y2: top + plotH, class: 'axis-line'}));
    replace('chart', root);
    replace('legend', SEVERITIES.slice().reverse().map((s) =>
      el('span', {class: 'legend-item'}, el('span', {class: 'swatch bar-' + s}), s + ' ' + chart.totals[s])),
    chart.truncated ? muted(' (first 10,000 findings only)') : null);
  }

  function niceTicks(max) {
    const step = max <= 5 ? 1 : max <= 10 ? 2 : Math.pow(10, Math.floor(Math.log10(max / 2))) * (max / Math.pow(10, Math.floor(Math.log10(max))) > 5 ? 5 : 2);
    const out = [];
    for (let v = 0; v < max + step; v += step) out.push(v);
    return out;
  }

  // ---- runs --------------------------------------------------------------------------------------------------------

  async function runs() {
    const names = ['repository', 'subject', 'ref', 'environment', 'from', 'to'];
    const f = bindFilters(names);
    setCsv('/api/runs.csv', f);
    await pagedList('/api/runs', f, (items) => table(['Started', 'Run', 'Subject', 'Roles', 'States', 'Findings'], items.map((r) => [
      el('span', {class: 'nowrap'}, time(r.startedAt)),
      runLink(r.runKey),
      el('div', {}, mono(r.subject), el('div', {class: 'muted small'}, [r.repository, r.ref, r.environment].filter(Boolean).join(' · ')),
        claimedLine(r.claims)),
      el('div', {}, (r.roles || []).map((a) => el('div', {class: 'mono small'}, roleName(a)))),
      el('div', {}, (r.stateKeys || []).map((k) => el('div', {}, stateLink(k)))),
      r.findings ? el('strong', {class: 'bad'}, String(r.findings)) : '0',
    ]), 'list runs'));
  }

  /** First page now; the "older" button appends the next pages. */
  async function pagedList(path, query, render, target) {
    const box = target || 'list';
    const first = await api(path, query);
    replace(box, render(first.items));
    let next = first.next;
    const more = document.getElementById('more');
    more.hidden = !next;
    more.onclick = async () => {
      try {
        const page = await api(path, Object.assign({}, query, {cursor: next}));
        pagedBeyondFirst = true;
        const rendered = render(page.items);
        const tbody = rendered.querySelector && rendered.querySelector('tbody');
        const existing = document.getElementById(box).querySelector('tbody');
        if (tbody && existing) append(existing, Array.from(tbody.children));
        next = page.next;
        more.hidden = !next;
      } catch (e) {
        showError(e);
      }
    };
  }

  // ---- findings ----------------------------------------------------------------------------------------------------

  async function findings() {
    const sel = document.getElementById('type-select');
    if (sel.options.length === 1) {
      for (const t of ['state-write-unexpected-subject', 'state-deleted', 'trust-policy-weakened', 'unexpected-subject',
        'non-federated-state-write', 'unlocked-state-write', 'force-unlock', 'stale-lock', 'web-identity-denied',
        'state-read-unexpected-subject', 'unattributed-session', 'run-claims-mismatch', 'session-used-elsewhere',
        'oidc-trust-too-wide', 'oidc-role-unlisted']) {
        sel.append(el('option', {value: t}, t));
      }
    }
    const names = ['severity', 'type', 'repository', 'stateKey', 'from', 'to', 'withdrawn', 'status'];
    const f = bindFilters(names);
    setCsv('/api/findings.csv', f);
    await pagedList('/api/findings', f, (items) => findingsTable(items, {triage: true}));
  }

  // ---- one finding and its evidence ---------------------------------------------------------------------------------

  async function finding() {
    const id = params.get('id');
    if (!id) throw new Error('Give a finding id: /finding?id=<type>-<hex>');
    const path = '/api/findings/' + encodeURIComponent(id);
    const [f, evidence] = await Promise.all([api(path), api(path + '/evidence')]);
    replace('finding-id', f.id);
    document.title = 'Finding ' + f.id + ' · statetrail';
    // Its status, the controls to change it and every change so far: triage happens here, next to the evidence.
    replace('finding', findingsTable([f], {triage: true}));
    replace('history', statusHistory(f.statusHistory || []));
    replace('evidence', evidenceTable(evidence));
  }

  /** Every change of a finding's status, oldest first; who and the note are free text, so set as text. */
  function statusHistory(changes) {
    if (!changes.length) return muted('Never changed: open since it was raised.');
    return table(['When', 'Status', 'By', 'Note'], changes.map((c) => [
      el('span', {class: 'nowrap'}, time(c.at)),
      el('span', {class: 'status-' + c.status}, c.status),
      el('span', {title: c.by}, principalName(c.by)),
      el('span', {class: 'note'}, c.note || ''),
    ]), 'list history');
  }

  // Every text here (user agent, event name, caller) is as CloudTrail logged it, so the caller's choice: text only.
  function evidenceTable(evidence) {
    const rows = evidence.calls.map((c) => [
      el('span', {class: 'nowrap'}, time(c.time)),
      el('div', {}, el('strong', {class: 'event-name'}, c.eventName || '?'), el('div', {class: 'muted small'}, c.eventSource || ''),
        c.errorCode ? el('div', {class: 'bad small'}, c.errorCode) : null),
      el('div', {}, mono(c.sourceIPAddress), el('div', {class: 'muted small'}, [c.account, c.region].filter(Boolean).join(' · '))),
      el('div', {class: 'user-agent small'}, c.userAgent || '—'),
      el('div', {}, c.principal ? el('div', {class: 'mono small principal'}, c.principal) : null,
        c.accessKeyId ? el('div', {class: 'small'}, sessionLink(c.accessKeyId, 'key ' + c.accessKeyId)) : null),
      el('div', {}, el('div', {class: 'mono small'}, (c.eventIds || []).join(' ')),
        c.recordKept ? recordButton(c.eventId) : muted('record not kept')),
    ]);
    return [
      table(['Time', 'Event', 'Source address', 'User agent', 'Caller', 'Event IDs'], rows, 'list evidence'),
      evidence.notFound.length ? el('p', {class: 'muted small not-found'}, 'Not in the audit trail (expired, or never stored): ',
        mono(evidence.notFound.join(' '))) : null,
      evidence.truncated ? el('p', {class: 'muted small'}, 'The first ' + evidence.calls.length + ' calls only.') : null,
    ];
  }

  /** Shows a call's CloudTrail record (secrets were removed when it was stored) as text, on request. */
  function recordButton(eventId) {
    const button = el('button', {type: 'button', class: 'show-record', 'data-event': eventId}, 'Show record');
    button.addEventListener('click', async () => {
      try {
        const r = await api('/api/calls/' + encodeURIComponent(eventId) + '/record');
        replace('record-of', r.eventId);
        document.getElementById('record').textContent = JSON.stringify(r.record, null, 2);
        const card = document.getElementById('record-card');
        card.hidden = false;
        card.scrollIntoView({block: 'nearest'});
      } catch (e) {
        showError(e);
      }
    });
    return button;
  }

  // ---- run and its chain -------------------------------------------------------------------------------------------

  async function run() {
    const key = params.get('key');
    const session = params.get('session');
    if (!key && !session) {
      throw new Error('Give a run key (?key=ASIA…) or any session\'s access key (?session=ASIA…).');
    }
    const detail = session ? await api('/api/lineage/' + encodeURIComponent(session)) : await api('/api/runs/' + encodeURIComponent(key));
    const s = detail.summary;
    replace('run-key', s.runKey);
    document.title = 'Run ' + s.runKey + ' · statetrail';
    replace('summary',
      fact('Subject', mono(s.subject)),
      fact('Repository', s.repository ? link('/runs', {repository: s.repository}, s.repository) : '—'),
      fact('Ref', mono(s.ref)), fact('Environment', mono(s.environment)),
      fact('Started', time(s.startedAt)), fact('Last activity', time(s.lastActivity)),
      fact('Accounts', (s.accounts || []).join(', ') || '—'),
      fact('Claimed (not verified)', claimedLine(s.claims) || '—'),
      fact('Findings', String(s.findings)));
    replace('chain', chain(detail, session));
    replace('findings', findingsTable(detail.findings, {noRun: true}));
  }

  function fact(name, value) {
    return [el('dt', {}, name), el('dd', {}, value)];
  }

  /** The run as a left-to-right tree: subject → root session → hops → states touched. Built from boxes, not markup. */
  function chain(detail, highlight) {
    const hops = detail.hops || [];
    const byKey = new Map(hops.map((h) => [h.accessKeyId, h]));
    const children = new Map();
    const roots = [];
    for (const h of hops) {
      if (h.parentKey && byKey.has(h.parentKey) && h.parentKey !== h.accessKeyId) {
        if (!children.has(h.parentKey)) children.set(h.parentKey, []);
        children.get(h.parentKey).push(h);
      } else {
        roots.push(h);
      }
    }
    const seen = new Set();
    const hopNode = (h) => {
      if (seen.has(h.accessKeyId)) return null;
      seen.add(h.accessKeyId);
      const kids = (children.get(h.accessKeyId) || []).map(hopNode).filter(Boolean);
      const states = stateNodes(h.activity || []);
      return node(hopBox(h, h.accessKeyId === highlight), kids.concat(states));
    };
    const s = detail.summary;
    const origin = el('div', {class: 'box origin'},
      el('div', {class: 'box-kind'}, s.subject ? 'GitHub OIDC subject' : 'principal'),
      el('div', {class: 'box-title mono'}, s.subject || roots.map((r) => r.roleArn).join(', ') || s.runKey),
      el('div', {class: 'muted small'}, [s.repository, s.ref, s.environment].filter(Boolean).join(' · ')));
    return node(origin, roots.map(hopNode).filter(Boolean));
  }

  function node(box, kids) {
    return el('div', {class: 'node'}, box, kids.length ? el('div', {class: 'children'}, kids.map((k) => el('div', {class: 'child'}, k))) : null);
  }

  const METHODS = {
    AssumeRoleWithWebIdentity: 'OIDC login · AssumeRoleWithWebIdentity',
    AssumeRole: 'role hop · AssumeRole',
    AssumeRoleWithSAML: 'SAML login',
  };

  function hopBox(h, highlighted) {
    return el('div', {class: 'box hop' + (highlighted ? ' highlighted' : ''), 'data-key': h.accessKeyId},
      el('div', {class: 'box-kind'}, METHODS[h.method] || h.method || 'session'),
      el('div', {class: 'box-title'}, roleName(h.roleArn) || h.accessKeyId),
      el('div', {class: 'small'}, 'account ', el('strong', {class: 'account'}, h.account || '?')),
      h.sessionName ? el('div', {class: 'small'}, 'session ', mono(h.sessionName)) : null,
      el('div', {class: 'small'}, time(h.issuedAt)),
      el('div', {class: 'small'}, 'key ', sessionLink(h.accessKeyId)),
      (h.eventIds || []).length ? el('div', {class: 'evidence small'}, 'event ', (h.eventIds || []).map((id) => mono(id + ' '))) : null,
      otherActivity(h.activity || []));
  }

  /** What a session did besides state and the hops drawn as its children (a trust-policy change, a failed hop…). */
  function otherActivity(activity) {
    const other = activity.filter((a) => !a.stateKey && !(a.kind === 'assume-role' && !a.errorCode) && a.kind !== 'login');
    if (!other.length) return null;
    return el('ul', {class: 'ops'}, other.map((a) => el('li', {class: 'op op-' + a.kind},
      el('span', {class: 'op-kind'}, a.kind), ' ', time(a.time), a.errorCode ? el('span', {class: 'bad'}, ' ' + a.errorCode) : null,
      a.roleArn ? el('div', {class: 'small mono'}, roleName(a.roleArn)) : null,
      el('div', {class: 'evidence small'}, 'event ', mono(a.eventId)))));
  }

  function stateNodes(activity) {
    const groups = new Map();
    for (const a of activity) {
      if (!a.stateKey) continue;
      const k = a.stateKey;
      if (!groups.has(k)) groups.set(k, []);
      groups.get(k).push(a);
    }
    return Array.from(groups.entries()).map(([key, acts]) => {
      const sorted = acts.slice().sort((x, y) => String(x.time).localeCompare(String(y.time)));
      const isLock = sorted.every((a) => a.kind === 'lock' || a.kind === 'unlock');
      return el('div', {class: 'box state' + (isLock ? ' lockbox' : '')},
        el('div', {class: 'box-kind'}, isLock ? 'lock' : 'state object'),
        el('div', {class: 'box-title'}, key.includes('/') ? stateLink(key) : mono(key)),
        el('ul', {class: 'ops'}, sorted.map((a) => el('li', {class: 'op op-' + a.kind},
          el('span', {class: 'op-kind'}, a.kind), ' ', time(a.time),
          a.errorCode ? el('span', {class: 'bad'}, ' ' + a.errorCode) : null,
          a.lock && a.lock.who ? el('div', {class: 'small'}, 'Who ', mono(a.lock.who), a.lock.operation ? ' · ' + a.lock.operation : '') : null,
          el('div', {class: 'evidence small'}, 'event ', mono(a.eventId))))));
    });
  }

  // ---- state -------------------------------------------------------------------------------------------------------

  async function state() {
    const key = params.get('key');
    if (!key) throw new Error('Give a state key: /state?key=<bucket>/<key>');
    replace('state-key', key);
    document.title = 'State ' + key + ' · statetrail';
    const f = bindFilters(['key', 'from', 'to']);
    setCsv('/api/state/timeline.csv', {key, from: f.from, to: f.to});
    const [locks, found] = await Promise.all([
      api('/api/locks', {stateKey: key}),
      api('/api/findings', {stateKey: key, limit: 50}),
    ]);
    replace('lock', locks.length ? locksTable(locks) : el('p', {class: 'empty'}, 'Not locked.'));
    replace('findings', findingsTable(found.items));
    await pagedList('/api/state/timeline', {key, from: f.from, to: f.to}, (items) => table(
      ['Time', 'What', 'Who', 'Role', 'Run', 'Evidence'], items.map((a) => [
        el('span', {class: 'nowrap'}, time(a.time)),
        el('div', {}, el('span', {class: 'op-kind op-' + a.kind}, a.kind), a.errorCode ? el('span', {class: 'bad'}, ' ' + a.errorCode) : null,
          a.lock ? el('div', {class: 'small'}, 'Who ', mono(a.lock.who), a.lock.operation ? ' · ' + a.lock.operation : '', a.lock.id ? el('div', {class: 'muted mono'}, a.lock.id) : null) : null),
        el('div', {}, mono(a.subject), a.repository ? el('div', {class: 'muted small'}, a.repository) : null),
        el('div', {}, mono(roleName(a.roleArn)), el('div', {class: 'muted small'}, a.account || '')),
        el('div', {}, runLink(a.runKey), el('div', {class: 'small'}, sessionLink(a.accessKeyId, 'session ' + (a.accessKeyId || '')))),
        mono(a.eventId),
      ]), 'list timeline'), 'timeline');
  }

  // ---- page wiring -------------------------------------------------------------------------------------------------

  // The not-found page has nothing to load; it still says when it was shown.
  const PAGES = {overview, runs, run, state, findings, finding, notfound: async () => {}};

  async function load() {
    const page = document.body.dataset.page;
    try {
      await PAGES[page]();
      clearError();
      replace('updated', 'updated ' + new Date().toISOString().slice(11, 19) + ' UTC');
      document.body.dataset.loaded = 'true';
      document.body.dataset.loads = String(Number(document.body.dataset.loads || 0) + 1);
    } catch (e) {
      showError(e);
      replace('updated', 'failed ' + new Date().toISOString().slice(11, 19) + ' UTC');
      document.body.dataset.loaded = 'error';
    }
  }

  function scheduleRefresh() {
    clearInterval(refreshTimer);
    const box = document.getElementById('autorefresh');
    if (box && box.checked) {
      refreshTimer = setInterval(() => {
        if (!document.hidden && !pagedBeyondFirst) load();
      }, REFRESH_MS);
    }
  }

  function wireLookup() {
    const form = document.getElementById('lookup');
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const v = form.elements.namedItem('session').value.trim();
      if (!v) return;
      window.location.href = v.includes('/') ? '/state?key=' + encodeURIComponent(v) : '/run?session=' + encodeURIComponent(v);
    });
    for (const a of document.querySelectorAll('nav a')) {
      if (a.dataset.nav === document.body.dataset.page) a.classList.add('current');
    }
  }

  document.addEventListener('DOMContentLoaded', () => {
    wireLookup();
    const box = document.getElementById('autorefresh');
    if (box) box.addEventListener('change', scheduleRefresh);
    load();
    scheduleRefresh();
  });
})();
