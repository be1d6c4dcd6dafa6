/*
 * situation.h: what the rules engine reads about people. A situation is persons, households,
 * life events, contributions and enrolments, as in DESIGN.md "Evaluation without a database";
 * `spfloor evaluate` loads one from YAML or JSON, and the registry builds one from the store.
 *
 * The engine itself reads one person at a time through struct person_history, a view into the
 * situation's arrays: all of that person's contributions, events and enrolments (sorted by
 * month or date), and the members of their household. A NULL history means "none of these".
 *
 * Ownership: a struct situation owns all its arrays; histories point into them and become
 * invalid when the situation is released.
 */
#ifndef SPFLOOR_RULES_SITUATION_H
#define SPFLOOR_RULES_SITUATION_H

#include <stdint.h>

#include "base/error.h"
#include "base/money.h"
#include "model/contribution.h"
#include "model/enrolment.h"
#include "model/event.h"
#include "model/household.h"
#include "model/person.h"

/* One person's history, as the engine reads it. Arrays are sorted by month / date. */
struct person_history {
    const struct contribution *contributions;
    int n_contributions;
    const struct life_event *events;
    int n_events;
    const struct enrolment *enrolments;
    int n_enrolments;
    const struct household *household;   /* NULL when the person has none */
    const struct person *const *members; /* household members, the person included */
    int n_members;
    uint64_t members_key; /* nonzero: names this member list, which no other list of the
                             process shares, so the engine may keep what it computed for the
                             household from one run to the next: neither the list nor its
                             persons may change while the key stands (situation_index gives
                             them); 0: it may change between runs */
};

struct situation {
    struct person *persons;
    int n_persons;
    struct household *households;
    int n_households;
    struct life_event *events; /* sorted by (person, date) */
    int n_events;
    struct contribution *contributions; /* sorted by (person, month) */
    int n_contributions;
    struct enrolment *enrolments; /* sorted by (person, from) */
    int n_enrolments;
    struct person_history *histories;      /* n_persons entries, parallel to persons */
    const struct person **member_pointers; /* storage behind histories[i].members */
};

void situation_init(struct situation *s);
void situation_release(struct situation *s);

/*
 * Sorts the arrays and builds histories[] (and living_children where a person left it unset
 * and has a household), giving each member list a members_key of its own. Call after filling
 * the arrays, and again after changing a person or a household. Checks that every event,
 * contribution and enrolment names a known person: SP_BAD_INPUT otherwise. SP_IO when out of
 * memory. Takes O(n log n) time for n rows.
 */
int situation_index(struct situation *s, struct error *err);

#endif
