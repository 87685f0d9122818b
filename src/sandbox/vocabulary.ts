// Word lists the workspace generator draws from. Deliberately mixed: accents, CJK, RTL, emoji,
// names missing, so importers meet the text real support inboxes contain.

export const COMPANY_NAMES = [
  'Acme Robotics',
  'Globex Supply',
  'Initech Cloud',
  'Umbrella Health',
  'Soylent Foods',
  'Hooli Labs',
  'Stark Logistics',
  'Wayne Analytics',
] as const;

export const FIRST_NAMES = [
  'Ada', 'Zoë', 'José', 'Aiko', 'Fatima', 'Lars', 'Chioma', 'Mateus', 'Priya', 'Søren', 'Élodie',
  'Wei', 'Yusuf', 'Ingrid', 'Kwame', 'Olga', 'Nguyễn', 'María', 'Tomás', 'Hana', 'Björn', 'Amara',
] as const;

export const LAST_NAMES = [
  'Lovelace', 'Ødegaard', 'Núñez', '山田', 'الزهراء', 'Eriksson', 'Okafor', 'Araújo', 'Raman',
  'Kierkegaard', 'Dubois', '王', 'Yılmaz', 'Johansson', 'Mensah', 'Ivanova', 'Văn An', 'García',
  'Müller', 'Kowalska', 'O\u2019Brien', 'Smith',
] as const;

/** Inbox names in creation order; the private one is always last. */
export const INBOX_NAMES = ['Support', 'Billing', 'Sales', 'Partners', 'Returns', 'Escalations', 'Press'] as const;
export const PRIVATE_INBOX_NAME = 'VIP (private)';

export const TAGS: readonly { name: string; highlight: string | null }[] = [
  { name: 'billing', highlight: 'blue' },
  { name: 'bug', highlight: 'red' },
  { name: 'feature-request', highlight: 'green' },
  { name: 'urgent 🔥', highlight: '🔥' },
  { name: 'vip', highlight: 'purple' },
  { name: 'refund', highlight: null },
  { name: 'onboarding', highlight: 'teal' },
  { name: 'churn-risk', highlight: 'orange' },
  { name: 'Größe', highlight: null },
  { name: '日本語', highlight: null },
  { name: 'needs-engineering', highlight: 'grey' },
  { name: 'feedback', highlight: 'yellow' },
  { name: 'enterprise', highlight: null },
  { name: 'follow-up', highlight: 'pink' },
  { name: 'security', highlight: 'red' },
];

export const SUBJECTS = [
  'Cannot log in after password reset',
  'Invoice #{n} looks wrong',
  'Refund request for order {n}',
  'Feature request: dark mode',
  'API returns 500 on /v2/export',
  'Question about the Enterprise plan',
  'Shipment {n} delayed?',
  'Ñandú integration not syncing',
  '請求書について',
  'مشكلة في تسجيل الدخول',
  'Re: your trial is ending 🎉',
  'Data export <urgent> & overdue',
  'Wrong VAT number on receipt',
  'How do I add teammates?',
  'Bug: emoji 🐛 break the CSV export',
  'Cancel my subscription',
  'Integration with Salesforce',
  'Größenänderung der Bestellung',
  'Webhook retries keep failing',
  'Thanks for the quick help!',
] as const;

export const CUSTOMER_LINES = [
  'I tried the steps from the help center but it still does not work.',
  'This started happening yesterday after the update.',
  'Could you take a look? We have a board meeting on Friday.',
  'Our whole team is blocked until this is fixed.',
  'I attached a screenshot, the error says "Something went wrong".',
  'Is there a way to export everything as CSV?',
  'We were charged twice this month — please advise.',
  'The invoice total is €1.299,00 but we expected $1,199.00.',
  'Thanks in advance 🙏',
  'It works on Chrome but not on Safari.',
  'Can you confirm the new pricing applies to existing customers?',
  'ご対応よろしくお願いいたします。',
  'شكراً جزيلاً على المساعدة.',
  'Por favor, ¿pueden revisar mi cuenta?',
  'The link https://example.com/reset?token=abc&next=%2Fhome returns a 404.',
  'I typed <script>alert(1)</script> into the name field by accident, now the page is blank.',
  'Order #{n} never arrived 📦',
  'Our admin left the company; how do we transfer ownership?',
] as const;

export const AGENT_LINES = [
  'Thanks for reaching out, I am looking into this now.',
  'I have reset your session; please try logging in again.',
  'I escalated this to our engineering team and will update you shortly.',
  'The refund has been issued and should appear within 5–7 business days.',
  'Could you send us the exact time the error occurred?',
  'Good news: the fix was deployed this morning ✅',
  'You can find the export under Settings → Data → Export.',
  'I applied a 20% discount to your next invoice as an apology.',
  'Let me know if there is anything else I can help with!',
  'I have merged the duplicate accounts for you.',
  'この件は担当チームに共有しました。',
  'We do not support that yet, but I logged it as a feature request.',
] as const;

export const GREETINGS_CUSTOMER = ['Hi,', 'Hello team,', 'Hey there,', 'Bonjour,', 'Hi support 👋', ''] as const;
export const SIGNOFFS_AGENT = ['Best,', 'Cheers,', 'Kind regards,', 'Thanks,'] as const;

export const EMAIL_DOMAINS = ['example.com', 'example.org', 'mail.example.net', 'corp.example'] as const;
