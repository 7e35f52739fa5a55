//! Models built with good_lp (the roster's), solved through the layer: translated term by
//! term into a [`Model`], in good_lp's own order (variables in their order of creation,
//! each constraint's coefficients in good_lp's map, whose order is the same on every run),
//! so the backends receive exactly the rows good_lp would give them. good_lp keeps every
//! inequality as `terms + constant <= 0` and remembers privately whether it was written
//! `>=`, which its HiGHS backend uses to pass the row the way it was written; a [`Con`]
//! keeps that direction in the open so the translation does the same.

use super::{solve, Answer, Backend, Fail, Model, Op, Settings};
use good_lp::{Constraint, Expression, IntoAffineExpression, ProblemVariables, Variable};
use std::collections::HashMap;

/// A good_lp constraint and whether it was written `>=`.
pub(crate) struct Con {
    con: Constraint,
    ge: bool,
}

/// `e <= rhs`.
pub(crate) fn leq(e: Expression, rhs: f64) -> Con {
    Con {
        con: e.leq(rhs),
        ge: false,
    }
}

/// `e >= rhs`.
pub(crate) fn geq(e: Expression, rhs: f64) -> Con {
    Con {
        con: e.geq(rhs),
        ge: true,
    }
}

/// `e == rhs`.
pub(crate) fn eq(e: Expression, rhs: f64) -> Con {
    Con {
        con: e.eq(rhs),
        ge: false,
    }
}

/// A solved good_lp model: values read back through good_lp's variables.
pub(crate) struct Solved {
    answer: Answer,
    index: HashMap<Variable, usize>,
}

impl Solved {
    /// Value of a variable (0 for one the model does not hold).
    pub fn value(&self, v: Variable) -> f64 {
        self.index
            .get(&v)
            .and_then(|&j| self.answer.x.get(j))
            .copied()
            .unwrap_or(0.0)
    }

    /// Value of an expression, its constant included.
    pub fn eval(&self, e: &Expression) -> f64 {
        e.constant()
            + e.clone()
                .linear_coefficients()
                .map(|(v, c)| c * self.value(v))
                .sum::<f64>()
    }

    /// How the solve ended.
    pub fn answer(&self) -> &Answer {
        &self.answer
    }
}

/// Solves `min obj` over `vars` subject to `cons` with `backend`, started from `init` when
/// given (columns `init` does not name then start at 0 on HiGHS, as through good_lp).
pub(crate) fn solve_model(
    backend: Backend,
    vars: ProblemVariables,
    obj: &Expression,
    cons: Vec<Con>,
    init: Option<Vec<(Variable, f64)>>,
    mut settings: Settings<'_>,
) -> Result<Solved, Fail> {
    let objective: HashMap<Variable, f64> = obj.clone().linear_coefficients().collect();
    let mut model = Model::default();
    let mut index: HashMap<Variable, usize> = HashMap::with_capacity(vars.len());
    for (v, def) in vars.iter_variables_with_def() {
        let c = objective.get(&v).copied().unwrap_or(0.0);
        let j = model.col(c, def.get_min(), def.get_max(), def.is_integer());
        index.insert(v, j);
    }
    for Con { con, ge } in cons {
        let e = con.expression();
        let terms = e
            .clone()
            .linear_coefficients()
            .filter_map(|(v, c)| index.get(&v).map(|&j| (j, c)));
        if con.is_equality() {
            model.row(terms.collect(), Op::Eq, -e.constant());
        } else if ge && backend == Backend::Highs {
            // As good_lp gives HiGHS a `>=` row: `-terms >= constant`.
            model.row(terms.map(|(j, c)| (j, -c)).collect(), Op::Ge, e.constant());
        } else {
            model.row(terms.collect(), Op::Le, -e.constant());
        }
    }
    settings.warm = init.map(|init| {
        init.iter()
            .filter_map(|(v, x)| index.get(v).map(|&j| (j, *x)))
            .collect()
    });
    settings.warm_zeros = true;
    let answer = solve(backend, &model, &settings)?;
    Ok(Solved { answer, index })
}
