import type { Command } from 'commander';
import { hashPassword, hashToken, newToken } from '../../server/panel/password.js';
import { print } from '../output.js';

/**
 * `bcbridge panel hash-password`: turns a password into the scrypt hash for `panel.hashedPassword`, so
 * the password itself never sits in the config file. `bcbridge panel new-token`: a random API token and
 * its hash for `panel.tokens`. Neither needs a config file.
 */
export function registerPanelCommand(program: Command): void {
  const panel = program.command('panel').description('control panel helpers (passwords, API tokens)');

  panel
    .command('hash-password')
    .description('read a password (typed twice on a terminal, else one line from stdin) and print its hash for panel.hashedPassword')
    .action(async () => {
      let password: string;
      if (process.stdin.isTTY) {
        password = await readHidden('Panel password: ');
        const again = await readHidden('Repeat it: ');
        if (again !== password) throw new Error('the two passwords differ; nothing printed');
      } else {
        password = (await readAll()).split(/\r?\n/)[0] ?? '';
      }
      if (password.length < 8) throw new Error('the password must be at least 8 characters');
      print(await hashPassword(password));
      process.stderr.write('Put it in the config as:\n  panel:\n    hashedPassword: "<the line above>"\n');
    });

  panel
    .command('new-token')
    .description('print a new random API token, and the panel.tokens entry that accepts it')
    .option('--name <name>', 'a name for the token (recorded as the actor of its actions)', 'script')
    .action((opts: { name: string }) => {
      if (!/^[A-Za-z0-9._-]{1,40}$/.test(opts.name)) throw new Error('--name must be 1-40 letters, digits, dots, dashes or underscores');
      const token = newToken();
      print(`token: ${token}`);
      print(`config: { name: ${opts.name}, hashedToken: "${hashToken(token)}" }`);
      process.stderr.write('Add the config entry under panel.tokens; the token is shown only now. Use it as "Authorization: Bearer <token>".\n');
    });
}

async function readAll(): Promise<string> {
  let text = '';
  process.stdin.setEncoding('utf8');
  for await (const chunk of process.stdin) text += chunk as string;
  return text;
}

/** Reads one line from the terminal without echoing it. */
function readHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  let buf = '';
  return new Promise((resolve, reject) => {
    const finish = () => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') {
          finish();
          resolve(buf);
          return;
        }
        if (ch === '\u0003' || ch === '\u0004') {
          finish();
          reject(new Error('cancelled'));
          return;
        }
        if (ch === '\u007f' || ch === '\b') buf = buf.slice(0, -1);
        else buf += ch;
      }
    };
    stdin.on('data', onData);
  });
}
