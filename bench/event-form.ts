// Prints the event form a host fills in (the specs' eventValues) as JSON, for bench/run.js to
// send to POST /events/new as a browser would:
//   tsx bench/event-form.ts
import { eventValues } from '../src/lib/server/events/events.testing';

console.log(JSON.stringify(eventValues()));
