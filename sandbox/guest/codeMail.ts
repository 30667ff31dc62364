import type { MailMessage } from "../context";

/** The one-time code e-mail, worded like Entra's ("Your Contoso verification code"). */
export function oneTimeCodeMail(email: string, code: string): MailMessage {
  const text = `Account verification code\n\nTo access Contoso's apps and resources, use the code ${code}.\n\nThe code expires in 10 minutes. If you didn't request it, you can ignore this e-mail.`;
  return {
    to: [email],
    from: "Microsoft on behalf of Contoso <account-security-noreply@accountprotection.microsoft.com>",
    subject: `Your Contoso verification code`,
    text,
    html: `<p>To access Contoso's apps and resources, use the code <b>${code}</b>.</p><p>The code expires in 10 minutes.</p>`,
    links: [],
  };
}
