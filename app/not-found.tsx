import type { Metadata } from 'next';
import { ButtonLink } from '@/components/ui/button';
import { ErrorScreen } from '@/components/shell/error-screen';

export const metadata: Metadata = { title: 'Not found' };

export default function NotFound() {
  return (
    <ErrorScreen code="404" title="This page does not exist" actions={<ButtonLink href="/" variant="primary">Back to the dashboard</ButtonLink>}>
      The address may be mistyped, or what it showed was deleted.
    </ErrorScreen>
  );
}
