// URLPattern (WHATWG URL Pattern Standard): the pattern tokenizer and parser, regular expression and pattern string
// generation, the constructor string parser, URLPatternInit processing, and matching.

const URLPATTERN_COMPONENTS = ['protocol', 'username', 'password', 'hostname', 'port', 'pathname', 'search', 'hash'];
const URLPATTERN_DEFAULT_OPTIONS = { delimiter: '', prefix: '', ignoreCase: false };
const URLPATTERN_HOSTNAME_OPTIONS = { delimiter: '.', prefix: '', ignoreCase: false };
const URLPATTERN_PATHNAME_OPTIONS = { delimiter: '/', prefix: '/', ignoreCase: false };
const URLPATTERN_ID_START = /[$_\p{ID_Start}]/u;
const URLPATTERN_ID_CONTINUE = /[$_\u200c\u200d\p{ID_Continue}]/u;

// The regexp flags: 'v' where the engine has it (as the standard says), else 'u'.
const URLPATTERN_FLAGS = (() => {
  try {
    new RegExp('', 'v');
    return 'v';
  } catch (e) {
    return 'u';
  }
})();

function urlPatternError(message) {
  return new TypeError("Failed to construct 'URLPattern': " + message);
}

// ---- Tokenizer

function urlPatternIsNameCodePoint(c, first) {
  return (first ? URLPATTERN_ID_START : URLPATTERN_ID_CONTINUE).test(c);
}

// Tokens are {type, index, value}; types: open, close, regexp, name, char, escaped-char, other-modifier, asterisk,
// end, invalid-char. With the 'lenient' policy, errors become invalid-char tokens instead of TypeErrors.
function urlPatternTokenize(input, policy) {
  const tokens = [];
  const n = input.length;
  let index = 0;
  const codePointAt = (i) => String.fromCodePoint(input.codePointAt(i));
  const add = (type, next, valueStart, valueLength) => {
    tokens.push({ type, index, value: input.substr(valueStart, valueLength) });
    index = next;
  };
  const error = (next, valueStart) => {
    if (policy === 'strict') {
      throw urlPatternError('Invalid pattern \'' + input + '\'.');
    }
    add('invalid-char', next, valueStart, next - valueStart);
  };
  while (index < n) {
    const c = codePointAt(index);
    const next = index + c.length;
    if (c === '*') {
      add('asterisk', next, index, 1);
    } else if (c === '+' || c === '?') {
      add('other-modifier', next, index, 1);
    } else if (c === '\\') {
      if (next >= n) {
        error(next, index);
        continue;
      }
      const escaped = codePointAt(next);
      add('escaped-char', next + escaped.length, next, escaped.length);
    } else if (c === '{') {
      add('open', next, index, 1);
    } else if (c === '}') {
      add('close', next, index, 1);
    } else if (c === ':') {
      let pos = next;
      while (pos < n) {
        const d = codePointAt(pos);
        if (!urlPatternIsNameCodePoint(d, pos === next)) {
          break;
        }
        pos += d.length;
      }
      if (pos <= next) {
        error(next, index);
        continue;
      }
      add('name', pos, next, pos - next);
    } else if (c === '(') {
      let depth = 1;
      let pos = next;
      let failed = false;
      while (pos < n) {
        const d = codePointAt(pos);
        if (d.charCodeAt(0) > 0x7f || d.length > 1) {
          error(next, index);
          failed = true;
          break;
        }
        if (pos === next && d === '?') {
          error(next, index);
          failed = true;
          break;
        }
        if (d === '\\') {
          if (pos === n - 1) {
            error(next, index);
            failed = true;
            break;
          }
          const e = codePointAt(pos + 1);
          if (e.charCodeAt(0) > 0x7f || e.length > 1) {
            error(next, index);
            failed = true;
            break;
          }
          pos += 2;
          continue;
        }
        if (d === ')') {
          depth--;
          if (depth === 0) {
            pos++;
            break;
          }
        } else if (d === '(') {
          depth++;
          if (pos === n - 1 || input[pos + 1] !== '?') {
            error(next, index);
            failed = true;
            break;
          }
        }
        pos++;
      }
      if (failed) {
        continue;
      }
      if (depth !== 0) {
        error(next, index);
        continue;
      }
      const length = pos - next - 1;
      if (length === 0) {
        error(next, index);
        continue;
      }
      add('regexp', pos, next, length);
    } else {
      add('char', next, index, c.length);
    }
  }
  tokens.push({ type: 'end', index, value: '' });
  return tokens;
}

// ---- Pattern parser

function urlPatternEscapeRegexp(s) {
  return s.replace(/[.+*?^${}()[\]|/\\]/g, '\\$&');
}

function urlPatternEscapePattern(s) {
  return s.replace(/[+*?:{}()\\]/g, '\\$&');
}

function urlPatternSegmentWildcard(options) {
  return '[^' + urlPatternEscapeRegexp(options.delimiter) + ']+?';
}

function urlPatternModifierString(modifier) {
  return modifier === 'none' ? '' : modifier;
}

// Parts are {type: 'fixed-text' | 'regexp' | 'segment-wildcard' | 'full-wildcard', value, modifier: 'none' | '?' |
// '*' | '+', name, prefix, suffix}.
function urlPatternParse(input, options, encode) {
  const tokens = urlPatternTokenize(input, 'strict');
  const parts = [];
  const segmentWildcard = urlPatternSegmentWildcard(options);
  let pending = '';
  let index = 0;
  let nextNumericName = 0;

  const tryConsume = (type) => {
    const token = tokens[index];
    if (token.type !== type) {
      return null;
    }
    index++;
    return token;
  };
  const tryConsumeModifier = () => tryConsume('other-modifier') ?? tryConsume('asterisk');
  const tryConsumeRegexpOrWildcard = (nameToken) => {
    const token = tryConsume('regexp');
    return token === null && nameToken === null ? tryConsume('asterisk') : token;
  };
  const consumeText = () => {
    let result = '';
    for (;;) {
      const token = tryConsume('char') ?? tryConsume('escaped-char');
      if (token === null) {
        return result;
      }
      result += token.value;
    }
  };
  const consumeRequired = (type) => {
    const token = tryConsume(type);
    if (token === null) {
      throw urlPatternError('Invalid pattern \'' + input + '\': expected ' + type + ' at ' + tokens[index].index + '.');
    }
    return token;
  };
  const flushPending = () => {
    if (pending === '') {
      return;
    }
    parts.push({ type: 'fixed-text', value: encode(pending), modifier: 'none', name: '', prefix: '', suffix: '' });
    pending = '';
  };
  const addPart = (prefix, nameToken, regexpOrWildcard, suffix, modifierToken) => {
    const modifier = modifierToken === null ? 'none' : modifierToken.value;
    if (nameToken === null && regexpOrWildcard === null && modifier === 'none') {
      pending += prefix;
      return;
    }
    flushPending();
    if (nameToken === null && regexpOrWildcard === null) {
      if (prefix !== '') {
        parts.push({ type: 'fixed-text', value: encode(prefix), modifier, name: '', prefix: '', suffix: '' });
      }
      return;
    }
    let value;
    if (regexpOrWildcard === null) {
      value = segmentWildcard;
    } else if (regexpOrWildcard.type === 'asterisk') {
      value = '.*';
    } else {
      value = regexpOrWildcard.value;
    }
    let type = 'regexp';
    if (value === segmentWildcard) {
      type = 'segment-wildcard';
      value = '';
    } else if (value === '.*') {
      type = 'full-wildcard';
      value = '';
    }
    let name;
    if (nameToken !== null) {
      name = nameToken.value;
    } else {
      name = String(nextNumericName++);
    }
    if (parts.some((p) => p.type !== 'fixed-text' && p.name === name)) {
      throw urlPatternError("Invalid pattern '" + input + "': duplicate group name '" + name + "'.");
    }
    parts.push({ type, value, modifier, name, prefix: encode(prefix), suffix: encode(suffix) });
  };

  while (index < tokens.length) {
    const charToken = tryConsume('char');
    let nameToken = tryConsume('name');
    let regexpOrWildcard = tryConsumeRegexpOrWildcard(nameToken);
    if (nameToken !== null || regexpOrWildcard !== null) {
      let prefix = charToken === null ? '' : charToken.value;
      if (prefix !== '' && prefix !== options.prefix) {
        pending += prefix;
        prefix = '';
      }
      flushPending();
      addPart(prefix, nameToken, regexpOrWildcard, '', tryConsumeModifier());
      continue;
    }
    const fixedToken = charToken ?? tryConsume('escaped-char');
    if (fixedToken !== null) {
      pending += fixedToken.value;
      continue;
    }
    if (tryConsume('open') !== null) {
      const prefix = consumeText();
      nameToken = tryConsume('name');
      regexpOrWildcard = tryConsumeRegexpOrWildcard(nameToken);
      const suffix = consumeText();
      consumeRequired('close');
      addPart(prefix, nameToken, regexpOrWildcard, suffix, tryConsumeModifier());
      continue;
    }
    flushPending();
    consumeRequired('end');
  }
  return parts;
}

function urlPatternRegexpSource(parts, options) {
  let result = '^';
  const names = [];
  for (const part of parts) {
    const modifier = urlPatternModifierString(part.modifier);
    if (part.type === 'fixed-text') {
      result += part.modifier === 'none'
        ? urlPatternEscapeRegexp(part.value)
        : '(?:' + urlPatternEscapeRegexp(part.value) + ')' + modifier;
      continue;
    }
    names.push(part.name);
    let value = part.value;
    if (part.type === 'segment-wildcard') {
      value = urlPatternSegmentWildcard(options);
    } else if (part.type === 'full-wildcard') {
      value = '.*';
    }
    const prefix = urlPatternEscapeRegexp(part.prefix);
    const suffix = urlPatternEscapeRegexp(part.suffix);
    if (prefix === '' && suffix === '') {
      result += part.modifier === 'none' || part.modifier === '?'
        ? '(' + value + ')' + modifier
        : '((?:' + value + ')' + modifier + ')';
    } else if (part.modifier === 'none' || part.modifier === '?') {
      result += '(?:' + prefix + '(' + value + ')' + suffix + ')' + modifier;
    } else {
      result += '(?:' + prefix + '((?:' + value + ')(?:' + suffix + prefix + '(?:' + value + '))*)' + suffix + ')';
      if (part.modifier === '*') {
        result += '?';
      }
    }
  }
  return [result + '$', names];
}

function urlPatternString(parts, options) {
  let result = '';
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    const previous = i > 0 ? parts[i - 1] : null;
    const next = i + 1 < parts.length ? parts[i + 1] : null;
    const modifier = urlPatternModifierString(part.modifier);
    if (part.type === 'fixed-text') {
      result += part.modifier === 'none'
        ? urlPatternEscapePattern(part.value)
        : '{' + urlPatternEscapePattern(part.value) + '}' + modifier;
      continue;
    }
    const customName = !urlIsDigit(part.name.charCodeAt(0));
    let needsGrouping = part.suffix !== '' || (part.prefix !== '' && part.prefix !== options.prefix);
    if (!needsGrouping && customName && part.type === 'segment-wildcard' && part.modifier === 'none'
        && next !== null && next.prefix === '' && next.suffix === '') {
      if (next.type === 'fixed-text') {
        needsGrouping = next.value !== '' && urlPatternIsNameCodePoint(String.fromCodePoint(next.value.codePointAt(0)), false);
      } else {
        needsGrouping = urlIsDigit(next.name.charCodeAt(0));
      }
    }
    if (!needsGrouping && part.prefix === '' && previous !== null && previous.type === 'fixed-text'
        && previous.value !== '' && options.prefix !== '' && previous.value.endsWith(options.prefix)) {
      needsGrouping = true;
    }
    if (needsGrouping) {
      result += '{';
    }
    result += urlPatternEscapePattern(part.prefix);
    if (customName) {
      result += ':' + part.name;
    }
    if (part.type === 'regexp') {
      result += '(' + part.value + ')';
    } else if (part.type === 'segment-wildcard' && !customName) {
      result += '(' + urlPatternSegmentWildcard(options) + ')';
    } else if (part.type === 'full-wildcard') {
      if (!customName && (previous === null || previous.type === 'fixed-text' || previous.modifier !== 'none'
          || needsGrouping || part.prefix !== '')) {
        result += '*';
      } else {
        result += '(.*)';
      }
    }
    if (part.type === 'segment-wildcard' && customName && part.suffix !== ''
        && urlPatternIsNameCodePoint(String.fromCodePoint(part.suffix.codePointAt(0)), false)) {
      result += '\\';
    }
    result += urlPatternEscapePattern(part.suffix);
    if (needsGrouping) {
      result += '}';
    }
    result += modifier;
  }
  return result;
}

// A compiled component: {pattern, regexp, names, hasRegExpGroups}.
function urlPatternCompile(input, encode, options) {
  const parts = urlPatternParse(input, options, encode);
  const [source, names] = urlPatternRegexpSource(parts, options);
  let regexp;
  try {
    regexp = new RegExp(source, options.ignoreCase ? URLPATTERN_FLAGS + 'i' : URLPATTERN_FLAGS);
  } catch (e) {
    throw urlPatternError("Invalid pattern '" + input + "': " + e.message);
  }
  return {
    pattern: urlPatternString(parts, options),
    regexp,
    names,
    hasRegExpGroups: parts.some((p) => p.type === 'regexp'),
  };
}

function urlPatternMatchesSpecialScheme(component) {
  for (const scheme of URL_DEFAULT_PORTS.keys()) {
    if (component.regexp.test(scheme)) {
      return true;
    }
  }
  return false;
}

// ---- Canonicalization (encoding callbacks)

function urlPatternDummyUrl() {
  return urlParse('https://dummy.invalid/', null);
}

function urlPatternCanonicalizeProtocol(value) {
  if (value === '') {
    return value;
  }
  const parsed = urlParse(value + '://dummy.invalid/', null);
  if (parsed === null) {
    throw urlPatternError("Invalid protocol '" + value + "'.");
  }
  return parsed.scheme;
}

function urlPatternCanonicalizeUserinfo(value) {
  return value === '' ? value : urlPercentEncode(value, URL_USERINFO_SET);
}

const URLPATTERN_FORBIDDEN_HOSTNAME = /[\x00 #/:<>?@[\\\]^|]/;

function urlPatternCanonicalizeHostname(value) {
  if (value === '') {
    return value;
  }
  // A delimiter in hostname text is an error here, where the hostname setter would cut the value short. An IPv6
  // address is left to the host parser; tabs and newlines are removed by it.
  if (value[0] !== '[' && URLPATTERN_FORBIDDEN_HOSTNAME.test(value)) {
    throw urlPatternError("Invalid hostname '" + value + "'.");
  }
  const url = urlPatternDummyUrl();
  if (urlParse(value, null, url, URL_HOSTNAME) === null) {
    throw urlPatternError("Invalid hostname '" + value + "'.");
  }
  return url.host === null ? '' : url.host;
}

function urlPatternCanonicalizeIPv6Hostname(value) {
  let result = '';
  for (const c of value) {
    if (!/^[0-9a-fA-F[\]:]$/.test(c)) {
      throw urlPatternError("Invalid IPv6 hostname '" + value + "'.");
    }
    result += c.toLowerCase();
  }
  return result;
}

// Without a protocol (pattern text), a port is kept even when it is some scheme's default; the constructor drops a
// pattern's port that is exactly its protocol's default.
function urlPatternCanonicalizePort(value, protocol = undefined) {
  if (value === '') {
    return value;
  }
  const url = urlPatternDummyUrl();
  url.scheme = protocol === undefined ? 'dummy' : protocol;
  if (urlParse(value, null, url, URL_PORT) === null) {
    throw urlPatternError("Invalid port '" + value + "'.");
  }
  return url.port === null ? '' : String(url.port);
}

function urlPatternCanonicalizePathname(value) {
  if (value === '') {
    return value;
  }
  const leadingSlash = value.charCodeAt(0) === 0x2f;
  const url = urlPatternDummyUrl();
  url.path = [];
  if (urlParse(leadingSlash ? value : '/-' + value, null, url, URL_PATH_START) === null) {
    throw urlPatternError("Invalid pathname '" + value + "'.");
  }
  const result = urlSerializePath(url);
  return leadingSlash ? result : result.slice(2);
}

function urlPatternCanonicalizeOpaquePathname(value) {
  if (value === '') {
    return value;
  }
  const url = new UrlRecord();
  url.path = '';
  if (urlParse(value, null, url, URL_OPAQUE_PATH) === null) {
    throw urlPatternError("Invalid pathname '" + value + "'.");
  }
  return url.path;
}

function urlPatternCanonicalizeSearch(value) {
  if (value === '') {
    return value;
  }
  const url = urlPatternDummyUrl();
  url.query = '';
  urlParse(value, null, url, URL_QUERY);
  return url.query;
}

function urlPatternCanonicalizeHash(value) {
  if (value === '') {
    return value;
  }
  const url = urlPatternDummyUrl();
  url.fragment = '';
  urlParse(value, null, url, URL_FRAGMENT);
  return url.fragment;
}

// ---- URLPatternInit processing

function urlPatternIsAbsolutePathname(input, type) {
  if (input === '') {
    return false;
  }
  if (input[0] === '/') {
    return true;
  }
  if (type === 'url' || input.length < 2) {
    return false;
  }
  return (input[0] === '\\' || input[0] === '{') && input[1] === '/';
}

function urlPatternProcessInit(init, type, defaults) {
  const result = { ...defaults };
  const has = (name) => init[name] !== undefined;
  const base = (s) => (type === 'pattern' ? urlPatternEscapePattern(s) : s);
  let baseURL = null;
  if (has('baseURL')) {
    baseURL = urlParse(init.baseURL, null);
    if (baseURL === null) {
      throw urlPatternError("Invalid baseURL '" + init.baseURL + "'.");
    }
    if (!has('protocol')) {
      result.protocol = base(baseURL.scheme);
    }
    if (type !== 'pattern' && !has('protocol') && !has('hostname') && !has('port') && !has('username')) {
      result.username = base(baseURL.username);
    }
    if (type !== 'pattern' && !has('protocol') && !has('hostname') && !has('port') && !has('username')
        && !has('password')) {
      result.password = base(baseURL.password);
    }
    if (!has('protocol') && !has('hostname')) {
      result.hostname = base(baseURL.host === null ? '' : baseURL.host);
    }
    if (!has('protocol') && !has('hostname') && !has('port')) {
      result.port = baseURL.port === null ? '' : String(baseURL.port);
    }
    if (!has('protocol') && !has('hostname') && !has('port') && !has('pathname')) {
      result.pathname = base(urlSerializePath(baseURL));
    }
    if (!has('protocol') && !has('hostname') && !has('port') && !has('pathname') && !has('search')) {
      result.search = base(baseURL.query === null ? '' : baseURL.query);
    }
    if (!has('protocol') && !has('hostname') && !has('port') && !has('pathname') && !has('search') && !has('hash')) {
      result.hash = base(baseURL.fragment === null ? '' : baseURL.fragment);
    }
  }
  const pattern = type === 'pattern';
  if (has('protocol')) {
    const stripped = init.protocol.endsWith(':') ? init.protocol.slice(0, -1) : init.protocol;
    result.protocol = pattern ? stripped : urlPatternCanonicalizeProtocol(stripped);
  }
  if (has('username')) {
    result.username = pattern ? init.username : urlPatternCanonicalizeUserinfo(init.username);
  }
  if (has('password')) {
    result.password = pattern ? init.password : urlPatternCanonicalizeUserinfo(init.password);
  }
  if (has('hostname')) {
    result.hostname = pattern ? init.hostname : urlPatternCanonicalizeHostname(init.hostname);
  }
  if (has('port')) {
    result.port = pattern ? init.port : urlPatternCanonicalizePort(init.port, result.protocol);
  }
  if (has('pathname')) {
    let pathname = init.pathname;
    if (baseURL !== null && typeof baseURL.path !== 'string' && !urlPatternIsAbsolutePathname(pathname, type)) {
      const basePath = base(urlSerializePath(baseURL));
      const slash = basePath.lastIndexOf('/');
      if (slash >= 0) {
        pathname = basePath.slice(0, slash + 1) + pathname;
      }
    }
    if (pattern) {
      result.pathname = pathname;
    } else if (result.protocol === undefined || result.protocol === '' || URL_DEFAULT_PORTS.has(result.protocol)) {
      result.pathname = urlPatternCanonicalizePathname(pathname);
    } else {
      result.pathname = urlPatternCanonicalizeOpaquePathname(pathname);
    }
  }
  if (has('search')) {
    const stripped = init.search.startsWith('?') ? init.search.slice(1) : init.search;
    result.search = pattern ? stripped : urlPatternCanonicalizeSearch(stripped);
  }
  if (has('hash')) {
    const stripped = init.hash.startsWith('#') ? init.hash.slice(1) : init.hash;
    result.hash = pattern ? stripped : urlPatternCanonicalizeHash(stripped);
  }
  return result;
}

// ---- Constructor string parser

function urlPatternParseConstructorString(input) {
  const tokens = urlPatternTokenize(input, 'lenient');
  const result = {};
  let componentStart = 0;
  let index = 0;
  let increment = 1;
  let groupDepth = 0;
  let ipv6Depth = 0;
  let protocolIsSpecial = false;
  let state = 'init';

  const safeToken = (i) => (i < tokens.length ? tokens[i] : tokens[tokens.length - 1]);
  const isNonSpecialChar = (i, value) => {
    const token = safeToken(i);
    return token.value === value
      && (token.type === 'char' || token.type === 'escaped-char' || token.type === 'invalid-char');
  };
  const isSearchPrefix = () => {
    if (isNonSpecialChar(index, '?')) {
      return true;
    }
    if (tokens[index].value !== '?') {
      return false;
    }
    if (index === 0) {
      return true;
    }
    const previous = safeToken(index - 1).type;
    return !(previous === 'name' || previous === 'regexp' || previous === 'close' || previous === 'asterisk');
  };
  const componentString = () => input.slice(safeToken(componentStart).index, tokens[index].index);
  const rewind = () => {
    index = componentStart;
    increment = 0;
  };
  const changeState = (newState, skip) => {
    if (state !== 'init' && state !== 'authority' && state !== 'done') {
      result[state] = componentString();
    }
    if (state !== 'init' && newState !== 'done') {
      const early = ['protocol', 'authority', 'username', 'password'];
      if (early.includes(state) && ['port', 'pathname', 'search', 'hash'].includes(newState)
          && result.hostname === undefined) {
        result.hostname = '';
      }
      if ([...early, 'hostname', 'port'].includes(state) && (newState === 'search' || newState === 'hash')
          && result.pathname === undefined) {
        result.pathname = protocolIsSpecial ? '/' : '';
      }
      if ([...early, 'hostname', 'port', 'pathname'].includes(state) && newState === 'hash'
          && result.search === undefined) {
        result.search = '';
      }
    }
    state = newState;
    index += skip;
    componentStart = index;
    increment = 0;
  };

  while (index < tokens.length) {
    increment = 1;
    if (tokens[index].type === 'end') {
      if (state === 'init') {
        rewind();
        if (isNonSpecialChar(index, '#')) {
          changeState('hash', 1);
        } else if (isSearchPrefix()) {
          changeState('search', 1);
        } else {
          changeState('pathname', 0);
        }
        index += increment;
        continue;
      }
      if (state === 'authority') {
        rewind();
        state = 'hostname';
        index += increment;
        continue;
      }
      changeState('done', 0);
      break;
    }
    if (tokens[index].type === 'open') {
      groupDepth++;
      index += increment;
      continue;
    }
    if (groupDepth > 0) {
      if (tokens[index].type === 'close') {
        groupDepth--;
      } else {
        index += increment;
        continue;
      }
    }
    switch (state) {
      case 'init':
        if (isNonSpecialChar(index, ':')) {
          rewind();
          state = 'protocol';
        }
        break;
      case 'protocol':
        if (isNonSpecialChar(index, ':')) {
          const protocol = urlPatternCompile(componentString(), urlPatternCanonicalizeProtocol, URLPATTERN_DEFAULT_OPTIONS);
          protocolIsSpecial = urlPatternMatchesSpecialScheme(protocol);
          let next = 'pathname';
          let skip = 1;
          if (isNonSpecialChar(index + 1, '/') && isNonSpecialChar(index + 2, '/')) {
            next = 'authority';
            skip = 3;
          } else if (protocolIsSpecial) {
            next = 'authority';
          }
          changeState(next, skip);
        }
        break;
      case 'authority':
        if (isNonSpecialChar(index, '@')) {
          rewind();
          state = 'username';
        } else if (isNonSpecialChar(index, '/') || isSearchPrefix() || isNonSpecialChar(index, '#')) {
          rewind();
          state = 'hostname';
        }
        break;
      case 'username':
        if (isNonSpecialChar(index, ':')) {
          changeState('password', 1);
        } else if (isNonSpecialChar(index, '@')) {
          changeState('hostname', 1);
        }
        break;
      case 'password':
        if (isNonSpecialChar(index, '@')) {
          changeState('hostname', 1);
        }
        break;
      case 'hostname':
        if (isNonSpecialChar(index, '[')) {
          ipv6Depth++;
        } else if (isNonSpecialChar(index, ']')) {
          ipv6Depth--;
        } else if (isNonSpecialChar(index, ':') && ipv6Depth === 0) {
          changeState('port', 1);
        } else if (isNonSpecialChar(index, '/')) {
          changeState('pathname', 0);
        } else if (isSearchPrefix()) {
          changeState('search', 1);
        } else if (isNonSpecialChar(index, '#')) {
          changeState('hash', 1);
        }
        break;
      case 'port':
        if (isNonSpecialChar(index, '/')) {
          changeState('pathname', 0);
        } else if (isSearchPrefix()) {
          changeState('search', 1);
        } else if (isNonSpecialChar(index, '#')) {
          changeState('hash', 1);
        }
        break;
      case 'pathname':
        if (isSearchPrefix()) {
          changeState('search', 1);
        } else if (isNonSpecialChar(index, '#')) {
          changeState('hash', 1);
        }
        break;
      case 'search':
        if (isNonSpecialChar(index, '#')) {
          changeState('hash', 1);
        }
        break;
      default:
        break;
    }
    index += increment;
  }
  if (result.hostname !== undefined && result.port === undefined) {
    result.port = '';
  }
  return result;
}

// ---- The URLPattern class

// A URLPatternInit dictionary: its members converted to USVStrings, absent ones left out.
function urlPatternInitFrom(value) {
  if (value === undefined || value === null) {
    return {};
  }
  if (typeof value !== 'object' && typeof value !== 'function') {
    throw new TypeError("Failed to construct 'URLPattern': The provided value is not of type 'URLPatternInit'.");
  }
  const init = {};
  for (const name of ['baseURL', 'hash', 'hostname', 'password', 'pathname', 'port', 'protocol', 'search', 'username']) {
    const member = value[name];
    if (member !== undefined) {
      init[name] = urlToUSVString(member);
    }
  }
  return init;
}

function urlPatternIsIPv6Hostname(s) {
  return s.length >= 2 && (s[0] === '[' || ((s[0] === '{' || s[0] === '\\') && s[1] === '['));
}

class URLPattern {
  #components;

  constructor(input = undefined, baseURL = undefined, options = undefined) {
    if (baseURL === undefined || baseURL === null || typeof baseURL === 'object' || typeof baseURL === 'function') {
      options = baseURL;
      baseURL = undefined;
    } else {
      baseURL = urlToUSVString(baseURL);
    }
    const ignoreCase = options !== undefined && options !== null && Boolean(options.ignoreCase);
    let init;
    if (typeof input === 'string' || (input !== undefined && input !== null && typeof input !== 'object'
        && typeof input !== 'function')) {
      init = urlPatternParseConstructorString(urlToUSVString(input));
      if (baseURL === undefined && init.protocol === undefined) {
        throw urlPatternError("Relative constructor string '" + input + "' must have a base URL passed as the second argument.");
      }
      if (baseURL !== undefined) {
        init.baseURL = baseURL;
      }
    } else {
      if (baseURL !== undefined) {
        throw urlPatternError('A base URL must not be given with a URLPatternInit.');
      }
      init = urlPatternInitFrom(input);
    }
    const processed = urlPatternProcessInit(init, 'pattern', {});
    for (const name of URLPATTERN_COMPONENTS) {
      if (processed[name] === undefined) {
        processed[name] = '*';
      }
    }
    if (URL_DEFAULT_PORTS.has(processed.protocol) && processed.port === String(URL_DEFAULT_PORTS.get(processed.protocol))) {
      processed.port = '';
    }
    const c = {};
    c.protocol = urlPatternCompile(processed.protocol, urlPatternCanonicalizeProtocol, URLPATTERN_DEFAULT_OPTIONS);
    c.username = urlPatternCompile(processed.username, urlPatternCanonicalizeUserinfo, URLPATTERN_DEFAULT_OPTIONS);
    c.password = urlPatternCompile(processed.password, urlPatternCanonicalizeUserinfo, URLPATTERN_DEFAULT_OPTIONS);
    c.hostname = urlPatternCompile(processed.hostname, urlPatternIsIPv6Hostname(processed.hostname)
      ? urlPatternCanonicalizeIPv6Hostname : urlPatternCanonicalizeHostname, URLPATTERN_HOSTNAME_OPTIONS);
    c.port = urlPatternCompile(processed.port, urlPatternCanonicalizePort, URLPATTERN_DEFAULT_OPTIONS);
    const options2 = { ...URLPATTERN_DEFAULT_OPTIONS, ignoreCase };
    if (urlPatternMatchesSpecialScheme(c.protocol)) {
      c.pathname = urlPatternCompile(processed.pathname, urlPatternCanonicalizePathname,
        { ...URLPATTERN_PATHNAME_OPTIONS, ignoreCase });
    } else {
      c.pathname = urlPatternCompile(processed.pathname, urlPatternCanonicalizeOpaquePathname, options2);
    }
    c.search = urlPatternCompile(processed.search, urlPatternCanonicalizeSearch, options2);
    c.hash = urlPatternCompile(processed.hash, urlPatternCanonicalizeHash, options2);
    this.#components = c;
  }

  test(input = undefined, baseURL = undefined) {
    return this.#match(input, baseURL) !== null;
  }

  exec(input = undefined, baseURL = undefined) {
    return this.#match(input, baseURL);
  }

  get protocol() { return this.#components.protocol.pattern; }
  get username() { return this.#components.username.pattern; }
  get password() { return this.#components.password.pattern; }
  get hostname() { return this.#components.hostname.pattern; }
  get port() { return this.#components.port.pattern; }
  get pathname() { return this.#components.pathname.pattern; }
  get search() { return this.#components.search.pattern; }
  get hash() { return this.#components.hash.pattern; }

  get hasRegExpGroups() {
    return URLPATTERN_COMPONENTS.some((name) => this.#components[name].hasRegExpGroups);
  }

  #match(input, baseURL) {
    let values;
    const inputs = [];
    if (typeof input === 'string' || (input !== undefined && input !== null && typeof input !== 'object'
        && typeof input !== 'function')) {
      input = urlToUSVString(input);
      inputs.push(input);
      let base = null;
      if (baseURL !== undefined) {
        baseURL = urlToUSVString(baseURL);
        base = urlParse(baseURL, null);
        if (base === null) {
          return null;
        }
        inputs.push(baseURL);
      }
      const url = urlParse(input, base);
      if (url === null) {
        return null;
      }
      values = {
        protocol: url.scheme,
        username: url.username,
        password: url.password,
        hostname: url.host === null ? '' : url.host,
        port: url.port === null ? '' : String(url.port),
        pathname: urlSerializePath(url),
        search: url.query === null ? '' : url.query,
        hash: url.fragment === null ? '' : url.fragment,
      };
    } else {
      if (baseURL !== undefined) {
        throw new TypeError("Failed to execute 'exec' on 'URLPattern': A base URL must not be given with a URLPatternInit.");
      }
      const init = urlPatternInitFrom(input);
      inputs.push(input === undefined || input === null ? {} : input);
      const empty = {};
      for (const name of URLPATTERN_COMPONENTS) {
        empty[name] = '';
      }
      try {
        values = urlPatternProcessInit(init, 'url', empty);
      } catch (e) {
        return null;
      }
    }
    const result = { inputs };
    for (const name of URLPATTERN_COMPONENTS) {
      const component = this.#components[name];
      const match = component.regexp.exec(values[name]);
      if (match === null) {
        return null;
      }
      const groups = {};
      for (let i = 1; i < match.length; i++) {
        groups[component.names[i - 1]] = match[i];
      }
      result[name] = { input: values[name], groups };
    }
    return result;
  }
}
urlDefineInterface(URLPattern, 'URLPattern');
defineGlobal('URLPattern', URLPattern);
