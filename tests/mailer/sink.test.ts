import nodemailer from 'nodemailer';
import { startMailSink } from '../../dev-servers/mail-catcher';
import { freePort } from '../../dev-servers/process';

test('the project’s own mail sink (npm start where Mailpit did not build) takes SMTP and lists what arrived, escaped', async () => {
  const sink = await startMailSink(await freePort(), await freePort());
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: sink.smtpPort, secure: false });
  try {
    await transport.sendMail({ from: 'oversight@icb.example', to: 'quality.lead@icb.example', subject: 'CMP-2026-000001: <b>overdue</b>', text: 'Due: Monday 23 November 2026' });
    const page = await (await fetch(sink.url)).text();
    expect(page).toContain('Email sent by Oversight (1)');
    expect(page).toContain('CMP-2026-000001: &lt;b&gt;overdue&lt;/b&gt;');
    expect(page).toContain('To quality.lead@icb.example');
    expect(page).toContain('Due: Monday 23 November 2026');
  } finally {
    transport.close();
    await sink.stop();
  }
});
