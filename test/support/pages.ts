// Hand-written pages in the source format, for tests that need exact content.

export interface ExcerptSpec {
  title: string;
  date: string;
  paragraphs: string[];
}

/** A page: title (optionally "Category: Title"), date line, paragraphs, "Similar articles". */
export function page(title: string, date: string, paragraphs: string[], excerpts: ExcerptSpec[] = []): string {
  const similar = excerpts.length
    ? [
        'Similar articles',
        '',
        ...excerpts.flatMap((e) => [e.title, e.date, '', ...e.paragraphs.flatMap((p) => [p, ''])]),
      ]
    : [];
  return [title, '', date, '', ...paragraphs.flatMap((p) => [p, '']), ...similar].join('\n');
}
