/**
 * Model output -> safe HTML. The model's text is untrusted (a shared web page can steer it), so:
 * raw HTML in the markdown is shown as text, and DOMPurify then keeps only a small allowlist.
 * Nothing rendered may run script, load remote content or navigate the panel.
 */
import DOMPurify from 'dompurify';
import { Marked, type Tokens } from 'marked';

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

// Raw HTML written by the model is text, not markup: "<div>" in an answer shows as "<div>".
const marked = new Marked({
  gfm: true,
  breaks: true,
  async: false,
  renderer: {
    html: (token: Tokens.HTML | Tokens.Tag) =>
      token.block ? `<p>${escapeHtml(token.text.trim()).replace(/\n/g, '<br>')}</p>` : escapeHtml(token.text),
  },
});

const ALLOWED_TAGS = [
  'p', 'br', 'hr', 'strong', 'em', 'del', 'b', 'i', 's', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'a', 'img', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'span',
];
// No class/id/style: model output must not borrow the panel's own styles or clobber its DOM.
const ALLOWED_ATTR = ['href', 'title', 'alt', 'src', 'align', 'start'];
// Named as well as left off the allowlist, so a later widening of ALLOWED_TAGS cannot let an answer restyle,
// hide or redirect the panel (style sheets, <link>, <meta> refresh, <base> for relative URLs).
const FORBID_TAGS = ['style', 'link', 'meta', 'base', 'template', 'iframe', 'frame', 'object', 'embed', 'form', 'svg', 'math'];
const FORBID_ATTR = ['style', 'class', 'id', 'name', 'srcset', 'background'];

const SAFE_LINK = /^(?:https?:|mailto:)/i;
// Only images already inside the panel (data:/blob:) — a remote src would be a request the page can steer.
const SAFE_IMAGE = /^(?:data:image\/(?:png|jpeg|gif|webp);|blob:)/i;

let purifier: ReturnType<typeof DOMPurify> | undefined;

function getPurifier(): ReturnType<typeof DOMPurify> {
  if (purifier) return purifier;
  const p = DOMPurify(window);
  p.addHook('afterSanitizeAttributes', (node) => {
    if (node.nodeName === 'A') {
      const href = (node.getAttribute('href') ?? '').replace(/[\u0000-\u0020]/g, '');
      if (!SAFE_LINK.test(href)) node.removeAttribute('href');
      else {
        node.setAttribute('target', '_blank');
        node.setAttribute('rel', 'noopener noreferrer');
      }
    }
    if (node.nodeName === 'IMG') {
      const src = (node.getAttribute('src') ?? '').replace(/[\u0000-\u0020]/g, '');
      // Drop the image's source; the element itself is replaced by its alt text below.
      if (!SAFE_IMAGE.test(src)) node.removeAttribute('src');
    }
  });
  purifier = p;
  return p;
}

/**
 * Render untrusted markdown (possibly half-streamed) to HTML that is safe for innerHTML in the panel.
 * The result is serialised from a DOM fragment, so its tags are always balanced: an unclosed tag in one
 * answer is closed inside that answer and cannot swallow the next one.
 */
export function renderMarkdown(markdown: string): string {
  // Without a working DOM sanitizer, show the text as text rather than trust it.
  if (!getPurifier().isSupported) return `<p>${escapeHtml(markdown)}</p>`;
  const html = marked.parse(markdown) as string;
  const fragment = getPurifier().sanitize(html, {
    ALLOWED_TAGS,
    ALLOWED_ATTR,
    FORBID_TAGS,
    FORBID_ATTR,
    ADD_ATTR: ['target', 'rel'],
    ALLOWED_URI_REGEXP: /^(?:https?:|mailto:|blob:|data:image\/)/i,
    ALLOW_DATA_ATTR: false,
    ALLOW_ARIA_ATTR: false,
    RETURN_DOM_FRAGMENT: true,
  });
  // An image without a safe source becomes its alt text, so the reader still knows something was there.
  for (const img of Array.from(fragment.querySelectorAll('img'))) {
    if (img.hasAttribute('src')) continue;
    const alt = img.getAttribute('alt');
    img.replaceWith(document.createTextNode(alt ? `[image: ${alt}]` : ''));
  }
  const holder = document.createElement('div');
  holder.appendChild(fragment);
  return holder.innerHTML;
}
