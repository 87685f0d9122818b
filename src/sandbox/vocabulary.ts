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

export const EMAIL_DOMAINS = ['example.com', 'example.org', 'mail.example.net', 'corp.example'] as const;
