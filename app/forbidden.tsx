import type { Metadata } from 'next';
import { ButtonLink } from '@/components/ui/button';
import { ErrorScreen } from '@/components/shell/error-screen';

export const metadata: Metadata = { title: 'No access' };

export default function Forbidden() {
  return (
    <ErrorScreen code="403" title="You do not have access to this page" actions={<ButtonLink href="/" variant="primary">Back to your start page</ButtonLink>}>
      This page is for administrators. If you need it, ask an admin of the farm.
    </ErrorScreen>
  );
}
