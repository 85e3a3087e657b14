// Runs one WPT URL data file (POSTed as the request body) inside a worker. KIND is prepended by UrlConformanceTest.
// Answers {cases, passed, failures}: a case passes only when every check for it holds.

const COMPONENTS = ['href', 'protocol', 'username', 'password', 'host', 'hostname', 'port', 'pathname', 'search', 'hash'];

function show(v) {
  return JSON.stringify(v);
}

function mustThrowTypeError(what, fn) {
  try {
    fn();
  } catch (e) {
    return e instanceof TypeError ? null : what + ' threw ' + e;
  }
  return what + ' did not throw';
}

function parseWith(input, base) {
  return base === null ? new URL(input) : new URL(input, base);
}

function urlTestCase(t) {
  const base = t.base === null ? undefined : t.base;
  if (t.failure) {
    let r = mustThrowTypeError('new URL', () => parseWith(t.input, t.base));
    if (r !== null) {
      return r;
    }
    if (URL.canParse(t.input, base)) {
      return 'canParse is true';
    }
    if (URL.parse(t.input, base) !== null) {
      return 'URL.parse is not null';
    }
    if (t.base === null) {
      r = mustThrowTypeError('as a base', () => new URL('about:blank', t.input));
      if (r !== null) {
        return r;
      }
      const u = new URL('about:blank');
      r = mustThrowTypeError('href setter', () => { u.href = t.input; });
      if (r !== null) {
        return r;
      }
      // The base shares a special scheme the input names (an http: input is relative only to an http: base).
      const scheme = /^(https?|wss?|ftp):/i.exec(t.input);
      const hierarchical = (scheme === null ? 'https' : scheme[1]) + '://example.com/';
      if (t.relativeTo === 'non-opaque-path-base' && !URL.canParse(t.input, hierarchical)) {
        return 'does not parse against a non-opaque-path base';
      }
      if (t.relativeTo === 'any-base' && !URL.canParse(t.input, 'data:text/plain,x')) {
        return 'does not parse against an opaque-path base';
      }
    }
    return null;
  }
  const u = parseWith(t.input, t.base);
  for (const k of COMPONENTS) {
    if (u[k] !== t[k]) {
      return k + ' ' + show(u[k]) + ', expected ' + show(t[k]);
    }
  }
  if ('origin' in t && u.origin !== t.origin) {
    return 'origin ' + show(u.origin) + ', expected ' + show(t.origin);
  }
  if ('searchParams' in t && u.searchParams.toString() !== t.searchParams) {
    return 'searchParams ' + show(u.searchParams.toString()) + ', expected ' + show(t.searchParams);
  }
  if (!URL.canParse(t.input, base)) {
    return 'canParse is false';
  }
  if (URL.parse(t.input, base)?.href !== t.href) {
    return 'URL.parse differs';
  }
  return null;
}

function setterCase(attr, t) {
  const u = new URL(t.href);
  u[attr] = t.new_value;
  for (const [k, v] of Object.entries(t.expected)) {
    if (u[k] !== v) {
      return k + ' ' + show(u[k]) + ', expected ' + show(v);
    }
  }
  return null;
}

function hostUrlCase(input, output) {
  const href = 'https://' + input + '/x';
  if (output === null) {
    return mustThrowTypeError('new URL', () => new URL(href));
  }
  const u = new URL(href);
  if (u.host !== output || u.hostname !== output || u.pathname !== '/x' || u.href !== 'https://' + output + '/x') {
    return 'got host ' + show(u.host) + ' hostname ' + show(u.hostname) + ' href ' + show(u.href) + ', expected ' + show(output);
  }
  return null;
}

function toAsciiCase(t) {
  const r = hostUrlCase(t.input, t.output);
  if (r !== null) {
    return r;
  }
  for (const attr of ['host', 'hostname']) {
    const u = new URL('https://x/x');
    u[attr] = t.input;
    const expected = t.output === null ? 'x' : t.output;
    if (u[attr] !== expected) {
      return attr + ' setter: ' + show(u[attr]) + ', expected ' + show(expected);
    }
  }
  return null;
}

function idnaCase(t) {
  const encoded = t.input.replace(/[:/?#\\]/g, encodeURIComponent);
  return hostUrlCase(encoded, t.output);
}

function percentEncodingCase(t) {
  const expected = t.output['utf-8'];
  const u = new URL('https://example.invalid/?' + t.input + '#' + t.input);
  if (u.search !== '?' + expected || u.hash !== '#' + expected) {
    return 'search ' + show(u.search) + ' hash ' + show(u.hash) + ', expected ' + show(expected);
  }
  return null;
}

export default {
  async fetch(request) {
    const data = await request.json();
    let cases = 0;
    let passed = 0;
    const failures = [];
    const run = (label, check) => {
      cases++;
      let r;
      try {
        r = check();
      } catch (e) {
        r = 'threw ' + e;
      }
      if (r === null) {
        passed++;
      } else if (failures.length < 300) {
        failures.push(label + ': ' + r);
      }
    };
    if (KIND === 'setters') {
      for (const [attr, list] of Object.entries(data)) {
        if (attr !== 'comment') {
          for (const t of list) {
            run(attr + ' ' + show(t.href) + ' <- ' + show(t.new_value), () => setterCase(attr, t));
          }
        }
      }
    } else {
      for (const t of data) {
        if (typeof t === 'string') {
          continue;
        }
        switch (KIND) {
          case 'urltestdata':
            run(show(t.input) + ' base ' + show(t.base), () => urlTestCase(t));
            break;
          case 'toascii':
            run(show(t.input), () => toAsciiCase(t));
            break;
          case 'idna':
            if (t.input !== '') {
              run(show(t.input), () => idnaCase(t));
            }
            break;
          case 'percent-encoding':
            run(show(t.input), () => percentEncodingCase(t));
            break;
          default:
            throw new Error('unknown kind ' + KIND);
        }
      }
    }
    return Response.json({ cases, passed, failures });
  },
};
