import type { CalendarRepository, StoredCalendarYear } from "#domain/calendar";
import type { Crisis, CrisisRepository } from "#domain/crisis";

/** Entered calendar years kept in memory (unit tests). */
export class MemoryCalendarRepository implements CalendarRepository {
  readonly years = new Map<number, StoredCalendarYear>();
  async list(): Promise<StoredCalendarYear[]> {
    return [...this.years.values()].sort((a, b) => a.year - b.year);
  }
  async put(entry: Parameters<CalendarRepository["put"]>[0], at: Date): Promise<StoredCalendarYear | null> {
    const before = this.years.get(entry.year) ?? null;
    this.years.set(entry.year, { ...entry, updatedAt: at.toISOString() });
    return before;
  }
}

/** The declared crisis kept in memory (unit tests). */
export class MemoryCrisisRepository implements CrisisRepository {
  crisis: Crisis | null = null;
  async current(): Promise<Crisis | null> {
    return this.crisis;
  }
  async set(crisis: Crisis | null): Promise<Crisis | null> {
    const before = this.crisis;
    this.crisis = crisis;
    return before;
  }
}
