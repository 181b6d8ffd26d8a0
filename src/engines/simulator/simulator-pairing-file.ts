import fs from 'node:fs';
import path from 'node:path';

/**
 * The simulator's stand-in for a WhatsApp login kept on disk (`<dataDir>/simulator.json`), so a
 * restarted daemon resumes a paired session without a new QR code, like the real engines do from their
 * browser profile.
 */
export class SimulatorPairingFile {
  private readonly file: string;

  constructor(private readonly dir: string) {
    this.file = path.join(dir, 'simulator.json');
  }

  paired(): boolean {
    try {
      return (JSON.parse(fs.readFileSync(this.file, 'utf8')) as { paired?: unknown }).paired === true;
    } catch {
      return false;
    }
  }

  rememberPaired(): void {
    fs.mkdirSync(this.dir, { recursive: true });
    fs.writeFileSync(this.file, `${JSON.stringify({ paired: true, at: new Date().toISOString() })}\n`);
  }

  /** Logout: nothing of the login stays behind. */
  forget(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
