// Parses an AsyncAPI document with AsyncAPI's own parser and prints its diagnostics, one a line:
//   <severity>\t<code>\t<path>\t<message>      then      document\tparsed|not parsed
// Exit 0 when the document parsed, 1 when it did not, 2 on wrong usage.
import { Parser, fromFile } from '@asyncapi/parser';

if (process.argv.length !== 3) {
  console.error('usage: node check.mjs <asyncapi.yaml>');
  process.exit(2);
}
const severities = ['error', 'warning', 'info', 'hint'];
const { document, diagnostics } = await fromFile(new Parser(), process.argv[2]).parse();
for (const diagnostic of diagnostics) {
  console.log([severities[diagnostic.severity], diagnostic.code, diagnostic.path.join('/'), diagnostic.message]
    .join('\t'));
}
console.log(`document\t${document ? 'parsed' : 'not parsed'}`);
process.exit(document ? 0 : 1);
