import { describe, expect, it } from 'vitest';
import { repairKeyboardLayout } from '../../src/ingest/keyboard-layout.ts';

const repaired = (text: string) => repairKeyboardLayout(text, 'PARAGRAPH', 0).text;

describe('repairKeyboardLayout', () => {
  it('replaces an English word typed on the Russian layout, keeping case and typed punctuation', () => {
    expect(repaired('attempting to renew and учеутв its image')).toBe('attempting to renew and extend its image');
    expect(repaired('Учеутв the mandate.')).toBe('Extend the mandate.');
    expect(repaired('to учеутвб not to cut')).toBe('to extend, not to cut');
  });

  it('repairs a run of garbled words whole, short words included', () => {
    expect(repaired('they said цщкдв шы ащгтв yesterday')).toBe('they said world is found yesterday');
  });

  it('leaves Russian and Belarusian words, and runs that hold one, as they are', () => {
    for (const text of [
      'He offered a «руку помощи» to Minsk', // руку is a Russian word that spells "here"
      'The slogan «Мы учеутв» was painted', // a Russian word in the run
      'Фото: 4esnok.by',
      'Лукашенко said so',
      'Фота: Еўрарадыё',
      'ещ and шы alone', // short tokens alone: abbreviations as often as garble
      'The word дуты stays', // Belarusian ("blown"), not Russian, and spells "lens"
    ]) {
      expect(repaired(text)).toBe(text);
    }
  });

  it('records each repair with its place', () => {
    expect(repairKeyboardLayout('A title to учеутв', 'TITLE', null).corrections).toEqual([
      {
        kind: 'KEYBOARD_LAYOUT',
        original: 'учеутв',
        replacement: 'extend',
        field: 'TITLE',
        paragraphIndex: null,
        offset: 11,
      },
    ]);
  });
});
