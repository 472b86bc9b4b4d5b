/* Float kernel: an n-body simulation of the Sun and the four giant planets (f64, symplectic
   Euler steps), n steps. Returns the final energy times 1e12, truncated to an integer. */
#include "kernel.h"

#define BODIES 5
#define PI 3.141592653589793
#define SOLAR_MASS (4 * PI * PI)
#define DAYS_PER_YEAR 365.24

typedef struct { double x, y, z, vx, vy, vz, mass; } body_t;

static body_t system_bodies[BODIES];

static void init(void) {
    static const double initial[BODIES][7] = {
        {0, 0, 0, 0, 0, 0, 1},
        {4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
         1.66007664274403694e-03, 7.69901118419740425e-03, -6.90460016972063023e-05, 9.54791938424326609e-04},
        {8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
         -2.76742510726862411e-03, 4.99852801234917238e-03, 2.30417297573763929e-05, 2.85885980666130812e-04},
        {1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
         2.96460137564761618e-03, 2.37847173959480950e-03, -2.96589568540237556e-05, 4.36624404335156298e-05},
        {1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
         2.68067772490389322e-03, 1.62824170038242295e-03, -9.51592254519715870e-05, 5.15138902046611451e-05},
    };
    for (int i = 0; i < BODIES; i++) {
        body_t *b = &system_bodies[i];
        b->x = initial[i][0]; b->y = initial[i][1]; b->z = initial[i][2];
        b->vx = initial[i][3] * DAYS_PER_YEAR;
        b->vy = initial[i][4] * DAYS_PER_YEAR;
        b->vz = initial[i][5] * DAYS_PER_YEAR;
        b->mass = initial[i][6] * SOLAR_MASS;
    }
    /* give the Sun the momentum that makes the total zero */
    double px = 0, py = 0, pz = 0;
    for (int i = 0; i < BODIES; i++) {
        px += system_bodies[i].vx * system_bodies[i].mass;
        py += system_bodies[i].vy * system_bodies[i].mass;
        pz += system_bodies[i].vz * system_bodies[i].mass;
    }
    system_bodies[0].vx = -px / SOLAR_MASS;
    system_bodies[0].vy = -py / SOLAR_MASS;
    system_bodies[0].vz = -pz / SOLAR_MASS;
}

static void step(double dt) {
    for (int i = 0; i < BODIES; i++) {
        body_t *a = &system_bodies[i];
        for (int j = i + 1; j < BODIES; j++) {
            body_t *b = &system_bodies[j];
            double dx = a->x - b->x, dy = a->y - b->y, dz = a->z - b->z;
            double d2 = dx * dx + dy * dy + dz * dz;
            double d = __builtin_sqrt(d2);
            double magnitude = dt / (d2 * d);
            a->vx -= dx * b->mass * magnitude;
            a->vy -= dy * b->mass * magnitude;
            a->vz -= dz * b->mass * magnitude;
            b->vx += dx * a->mass * magnitude;
            b->vy += dy * a->mass * magnitude;
            b->vz += dz * a->mass * magnitude;
        }
    }
    for (int i = 0; i < BODIES; i++) {
        body_t *b = &system_bodies[i];
        b->x += dt * b->vx;
        b->y += dt * b->vy;
        b->z += dt * b->vz;
    }
}

static double energy(void) {
    double e = 0;
    for (int i = 0; i < BODIES; i++) {
        body_t *a = &system_bodies[i];
        e += 0.5 * a->mass * (a->vx * a->vx + a->vy * a->vy + a->vz * a->vz);
        for (int j = i + 1; j < BODIES; j++) {
            body_t *b = &system_bodies[j];
            double dx = a->x - b->x, dy = a->y - b->y, dz = a->z - b->z;
            e -= a->mass * b->mass / __builtin_sqrt(dx * dx + dy * dy + dz * dz);
        }
    }
    return e;
}

int64_t run(int32_t n) {
    init();
    for (int32_t i = 0; i < n; i++) step(0.01);
    return (int64_t)(energy() * 1e12);
}
