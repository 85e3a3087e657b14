// TextEncoderStream and TextDecoderStream (Encoding Standard): TransformStreams around the prelude's encoders.

class TextEncoderStream {
  #transform;

  constructor() {
    let pendingHighSurrogate = '';
    this.#transform = new TransformStream({
      transform(chunk, controller) {
        let text = pendingHighSurrogate + String(chunk);
        pendingHighSurrogate = '';
        const last = text.charCodeAt(text.length - 1);
        if (last >= 0xd800 && last <= 0xdbff) {
          // the low half may come with the next chunk
          pendingHighSurrogate = text[text.length - 1];
          text = text.slice(0, -1);
        }
        if (text.length > 0) {
          controller.enqueue(utf8Encode(text));
        }
      },
      flush(controller) {
        if (pendingHighSurrogate !== '') {
          controller.enqueue(Uint8Array.of(0xef, 0xbf, 0xbd));
        }
      },
    });
  }

  get encoding() { return 'utf-8'; }

  get readable() { return this.#transform.readable; }

  get writable() { return this.#transform.writable; }
}

class TextDecoderStream {
  #decoder;
  #transform;

  constructor(label = 'utf-8', options = undefined) {
    const decoder = new TextDecoder(label, options);
    this.#decoder = decoder;
    this.#transform = new TransformStream({
      transform(chunk, controller) {
        const text = decoder.decode(chunk, { stream: true });
        if (text.length > 0) {
          controller.enqueue(text);
        }
      },
      flush(controller) {
        const text = decoder.decode();
        if (text.length > 0) {
          controller.enqueue(text);
        }
      },
    });
  }

  get encoding() { return this.#decoder.encoding; }

  get fatal() { return this.#decoder.fatal; }

  get ignoreBOM() { return this.#decoder.ignoreBOM; }

  get readable() { return this.#transform.readable; }

  get writable() { return this.#transform.writable; }
}

defineGlobal('TextEncoderStream', TextEncoderStream);
defineGlobal('TextDecoderStream', TextDecoderStream);
