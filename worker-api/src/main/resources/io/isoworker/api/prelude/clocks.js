// Clocks as on Workers: Date and performance.now() read a clock that the host sets on each entry into the guest,
// so they do not advance while guest code runs synchronously, only across I/O and timers. This blunts timing side
// channels (docs/security.md). performance.timeOrigin is 0: performance.now() and Date.now() tell the same time.

const HostDate = Date;

function WorkerDate(...args) {
  if (new.target === undefined) {
    return new HostDate(host.now()).toString();
  }
  return Reflect.construct(HostDate, args.length === 0 ? [host.now()] : args, new.target);
}
Object.defineProperty(WorkerDate, 'name', { value: 'Date' });
Object.defineProperty(WorkerDate, 'length', { value: 7 });
Object.defineProperty(WorkerDate, 'prototype', { value: HostDate.prototype, writable: false });
Object.defineProperty(HostDate.prototype, 'constructor', { value: WorkerDate, writable: true, configurable: true });
for (const name of ['parse', 'UTC']) {
  Object.defineProperty(WorkerDate, name,
    { value: HostDate[name], writable: true, configurable: true, enumerable: false });
}
Object.defineProperty(WorkerDate, 'now', {
  value: function now() { return host.now(); }, writable: true, configurable: true, enumerable: false,
});
defineGlobal('Date', WorkerDate);

class Performance {
  constructor(key) {
    if (key !== INTERNAL) {
      illegalConstructor();
    }
  }

  get timeOrigin() { return 0; }

  now() { return host.now(); }

  toJSON() { return { timeOrigin: 0 }; }
}
Object.defineProperty(Performance.prototype, Symbol.toStringTag, { value: 'Performance', configurable: true });
defineGlobal('Performance', Performance);
defineGlobal('performance', new Performance(INTERNAL));
