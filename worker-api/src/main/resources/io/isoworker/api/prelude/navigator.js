// navigator, as Workers has it.

class Navigator {
  constructor(key) {
    if (key !== INTERNAL) {
      illegalConstructor();
    }
  }

  get userAgent() { return 'Cloudflare-Workers'; }

  get hardwareConcurrency() { return 1; }

  get language() { return 'en'; }

  get languages() { return ['en']; }
}
Object.defineProperty(Navigator.prototype, Symbol.toStringTag, { value: 'Navigator', configurable: true });
defineGlobal('Navigator', Navigator);
defineGlobal('navigator', new Navigator(INTERNAL));
