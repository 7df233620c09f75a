/** One day in milliseconds: session and link lifetimes, reminders and seed dates all count in it. */
export const DAY = 86_400_000;
