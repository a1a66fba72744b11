import { useId } from 'react';
import { cx } from './cx';

/** Ferry's mark: a boat on a wave, inline so no asset is fetched. Decorative unless given a label. */
export function LogoMark({ className, label }: { className?: string; label?: string }) {
  const gradient = useId();
  return (
    <svg
      viewBox="0 0 32 32"
      className={cx('size-7 shrink-0', className)}
      role={label ? 'img' : undefined}
      aria-label={label}
      aria-hidden={label ? undefined : true}
    >
      <defs>
        <linearGradient id={gradient} x1="0" y1="0" x2="32" y2="32" gradientUnits="userSpaceOnUse">
          <stop offset="0" stopColor="#38bdf8" />
          <stop offset="1" stopColor="#4f46e5" />
        </linearGradient>
      </defs>
      <rect width="32" height="32" rx="8" fill={`url(#${gradient})`} />
      <path d="M9 17.5h14l-2.2 4.3a1.5 1.5 0 0 1-1.3.8h-7a1.5 1.5 0 0 1-1.3-.8L9 17.5Z" fill="#fff" />
      <path d="M12.5 17.5v-4a1 1 0 0 1 1-1h5a1 1 0 0 1 1 1v4" stroke="#fff" strokeWidth="1.6" fill="none" />
      <path d="M15 9.5h2v3h-2z" fill="#fff" fillOpacity="0.85" />
      <path
        d="M6 25.5c1.7 0 1.7-1.2 3.3-1.2s1.7 1.2 3.3 1.2 1.7-1.2 3.4-1.2 1.7 1.2 3.3 1.2 1.7-1.2 3.4-1.2 1.6 1.2 3.3 1.2"
        stroke="#fff"
        strokeOpacity="0.7"
        strokeWidth="1.5"
        strokeLinecap="round"
        fill="none"
      />
    </svg>
  );
}
