// uri-literal: an unquoted URL.
//   url = https://example.org/x.tar.gz;   →   url = "https://example.org/x.tar.gz";
// RFC 45 deprecated URL literals: they are plain strings with a special syntax, cannot take
// interpolation, and can be switched off (the `no-url-literals` experimental feature). A URL
// literal holds no `"`, `\` or `${`, so quoting it gives the same string.
import { Kind } from '../syntax/grammar';
import { defineRule } from './types';

export default defineRule({
  id: 'uri-literal',
  meta: {
    severity: 'warning',
    category: 'style',
    description: 'Unquoted URL literal, deprecated by RFC 45',
    fixable: true,
    messages: { unquoted: 'Unquoted URL literal: write it as a string' },
  },
  check(context) {
    const table = context.file.table;
    return {
      [Kind.UriExpression](node) {
        const uri = table.nodeText(node);
        if (uri.includes('"') || uri.includes('\\') || uri.includes('${')) return;
        context.report({
          node,
          messageId: 'unquoted',
          tags: ['deprecated'],
          fixes: [{ title: 'Quote the URL', edits: [{ range: { start: table.start(node), end: table.end(node) }, newText: `"${uri}"` }], safe: true }],
        });
      },
    };
  },
});
