"""Synthetic national data for the benchmarks (`manage.py generate_national`): agencies and accounts
of every province (agencies), how often each value comes up (mixes), COPY (pgcopy), and the plan of
arrivals, cases and referrals that keeps the app's rules (national)."""
