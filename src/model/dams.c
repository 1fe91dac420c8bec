/* dams.c - the plan's dam portfolio resolved into a state per hydropower station:
 * existing, built candidate, candidate not built, or candidate decided by the optimiser
 * (plan keys dams.build / dams.exclude / dams.decide; docs/plan-format.md). */
#include "model/model.h"

#include <stdio.h>

static int check_ids(const lm_dataset *ds, const lm_plan *p, const char *key, const int *ids,
                     int n, lm_diag *d)
{
    int bad = 0;
    for (int i = 0; i < n; i++) {
        int s = lm_dataset_station(ds, ids[i]);
        if (s < 0) {
            lm_diag_error(d, "%s: dams.%s: station %d is not a hydropower station of dataset %s",
                          p->path, key, ids[i], ds->name);
            bad = 1;
        } else if (ds->stations[s].is_existing) {
            lm_diag_error(d, "%s: dams.%s: station %d (%s) is already in service (commissioned %d), "
                          "not a candidate", p->path, key, ids[i], ds->stations[s].name,
                          ds->stations[s].commissioning_year);
            bad = 1;
        }
    }
    return bad;
}

static int listed(const int *ids, int n, long id)
{
    for (int i = 0; i < n; i++)
        if (ids[i] == id) return 1;
    return 0;
}

int lm_dams_resolve(const lm_dataset *ds, const lm_plan *p, int *state, lm_diag *d)
{
    int bad = check_ids(ds, p, "build", p->dams_build, p->n_dams_build, d) |
              check_ids(ds, p, "exclude", p->dams_exclude, p->n_dams_exclude, d) |
              check_ids(ds, p, "decide", p->dams_decide, p->n_dams_decide, d);
    for (int s = 0; s < ds->n_stations; s++) {
        const lm_station *st = &ds->stations[s];
        if (st->is_existing) state[s] = LM_DAM_EXISTING;
        else if (listed(p->dams_build, p->n_dams_build, st->id)) state[s] = LM_DAM_BUILT;
        else if (listed(p->dams_exclude, p->n_dams_exclude, st->id)) state[s] = LM_DAM_NOT_BUILT;
        else if (p->dams_decide_all || listed(p->dams_decide, p->n_dams_decide, st->id))
            state[s] = LM_DAM_DECIDE;
        else state[s] = LM_DAM_NOT_BUILT;
    }
    return bad ? -1 : 0;
}
