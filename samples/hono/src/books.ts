export interface Book {
  id: number;
  title: string;
  author: string;
  year: number;
}

const BOOKS: readonly Book[] = [
  { id: 1, title: 'Kindred', author: 'Octavia E. Butler', year: 1979 },
  { id: 2, title: 'The Dispossessed', author: 'Ursula K. Le Guin', year: 1974 },
];

export function findBook(id: number): Book | undefined {
  return BOOKS.find((b) => b.id === id);
}
