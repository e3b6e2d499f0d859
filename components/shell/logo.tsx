import Link from 'next/link';

export function Logo({ href = '/' }: { href?: string }) {
  return (
    <Link href={href} className="flex items-center gap-2 text-slate-900">
      <span aria-hidden className="grid size-7 place-items-center rounded-md bg-indigo-600 text-sm font-bold text-white">M</span>
      <span className="text-base font-semibold tracking-tight">Mutu</span>
    </Link>
  );
}
