import { Hono } from 'hono';

import { findBook, type Book } from './books';

type Bindings = {
  GREETING: string;
};

const app = new Hono<{ Bindings: Bindings }>();

app.get('/', (c) =>
  c.json({ message: `${c.env.GREETING} from Hono on isoworker`, routes: ['/books/:id', '/hello/:name'] }),
);

app.get('/books/:id', (c) => {
  const book: Book | undefined = findBook(Number(c.req.param('id')));
  if (!book) {
    return c.json({ error: `no book ${c.req.param('id')}` }, 404);
  }
  return c.json(book);
});

app.get('/hello/:name', (c) => c.text(`${c.env.GREETING}, ${c.req.param('name')}!`));

app.get('/boom', () => {
  throw new Error('boom');
});

app.notFound((c) => c.json({ error: 'not found', path: c.req.path }, 404));

// Let errors reach isoworker, which logs them with their stack mapped back to this file (src/index.ts:LINE:COLUMN).
app.onError((err) => {
  throw err;
});

export default app;
